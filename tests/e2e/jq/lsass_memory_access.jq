include "prelude";
# rules/credential_access/lsass_memory_access.socc
select(
sysmon(10)
and endswith_("TargetImage"; "\\lsass.exe")
and in_("GrantedAccess"; ["0x1010", "0x1410", "0x1438", "0x143a", "0x1f0fff", "0x1f1fff", "0x1f3fff", "0x1fffff"])
and (endswith_any("SourceImage"; ["\\wininit.exe", "\\csrss.exe", "\\MsMpEng.exe", "\\wmiprvse.exe", "\\vmtoolsd.exe"]) | not)
) | input_filename
