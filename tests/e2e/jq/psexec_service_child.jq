include "prelude";
# rules/execution/psexec_service_child.socc
select(
sysmon(1)
and endswith_("ParentImage"; "\\psexesvc.exe")
) | input_filename
