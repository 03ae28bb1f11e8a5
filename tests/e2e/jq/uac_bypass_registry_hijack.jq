include "prelude";
# rules/privilege_escalation/uac_bypass_registry_hijack.socc
select(
sysmon_registry
and eq("EventType"; "SetValue")
and (
  contains_any("TargetObject"; ["\\ms-settings\\shell\\open\\command\\", "\\mscfile\\shell\\open\\command\\", "\\exefile\\shell\\open\\command\\", "\\exefile\\shell\\runas\\command\\", "\\Folder\\shell\\open\\command\\", "\\Launcher.SystemSettings\\shell\\open\\command\\", "\\AppX82a6gwre4fdg3bt635tn5ctqjf8msdd2\\Shell\\open\\command\\", "\\CurrentVersion\\App Paths\\control.exe\\"])
  or (startswith_("TargetObject"; "HKU\\")
      and endswith_any("TargetObject"; ["\\Environment\\windir", "\\Environment\\systemroot", "\\Volatile Environment\\systemroot"]))
)
) | input_filename
