include "prelude";
# rules/persistence/scheduled_task_creation.socc
select(
sysmon(1)
and endswith_("Image"; "\\schtasks.exe")
and contains_("CommandLine"; "/create")
) | input_filename
