include "prelude";
# rules/credential_access/sam_hive_export.socc
select(
sysmon(1)
and endswith_("Image"; "\\reg.exe")
and contains_("CommandLine"; " save ")
and contains_any("CommandLine"; ["hklm\\sam", "hklm\\security", "hklm\\system", "hkey_local_machine\\sam", "hkey_local_machine\\security", "hkey_local_machine\\system"])
) | input_filename
