include "prelude";
# rules/execution/wmi_spawns_shell.socc
select(
sysmon(1)
and endswith_("ParentImage"; "\\wmiprvse.exe")
and endswith_any("Image"; ["\\cmd.exe", "\\powershell.exe", "\\pwsh.exe", "\\rundll32.exe", "\\regsvr32.exe", "\\mshta.exe", "\\wscript.exe", "\\cscript.exe"])
) | input_filename
