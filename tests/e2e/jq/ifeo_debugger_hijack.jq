include "prelude";
# rules/persistence/ifeo_debugger_hijack.socc
select(
sysmon_registry
and eq("EventType"; "SetValue")
and (
  (contains_("TargetObject"; "\\CurrentVersion\\SilentProcessExit\\") and endswith_("TargetObject"; "\\MonitorProcess"))
  or (contains_("TargetObject"; "\\CurrentVersion\\Image File Execution Options\\")
      and endswith_any("TargetObject"; ["\\Debugger", "\\GlobalFlag"]))
)
) | input_filename
