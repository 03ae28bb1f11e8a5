include "prelude";
# rules/defense_evasion/indirect_command_execution.socc
select(
sysmon(1)
and endswith_any("ParentImage"; ["\\pcalua.exe", "\\forfiles.exe"])
) | input_filename
