include "prelude";
# rules/credential_access/comsvcs_minidump.socc
select(
sysmon(1)
and endswith_("Image"; "\\rundll32.exe")
and contains_("CommandLine"; "comsvcs")
and contains_("CommandLine"; "minidump")
) | input_filename
