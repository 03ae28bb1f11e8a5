include "prelude";
# rules/execution/office_spawns_interpreter.socc
select(
sysmon(1)
and endswith_any("ParentImage"; ["\\winword.exe", "\\excel.exe", "\\powerpnt.exe", "\\outlook.exe", "\\msaccess.exe", "\\mspub.exe", "\\visio.exe", "\\onenote.exe"])
and endswith_any("Image"; ["\\cmd.exe", "\\powershell.exe", "\\pwsh.exe", "\\wscript.exe", "\\cscript.exe", "\\mshta.exe", "\\rundll32.exe", "\\regsvr32.exe", "\\certutil.exe", "\\bitsadmin.exe"])
) | input_filename
