include "prelude";
# rules/impact/inhibit_system_recovery.socc
select(
sysmon(1)
and (
  (endswith_("Image"; "\\vssadmin.exe") and contains_("CommandLine"; "delete") and contains_("CommandLine"; "shadows"))
  or (endswith_("Image"; "\\wbadmin.exe") and contains_("CommandLine"; "delete") and contains_("CommandLine"; "catalog"))
  or (endswith_("Image"; "\\bcdedit.exe") and contains_any("CommandLine"; ["recoveryenabled no", "bootstatuspolicy ignoreallfailures"]))
)
) | input_filename
