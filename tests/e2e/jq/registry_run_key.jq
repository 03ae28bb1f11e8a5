include "prelude";
# rules/persistence/registry_run_key.socc
select(
sysmon_registry
and eq("EventType"; "SetValue")
and contains_any("TargetObject"; ["\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\", "\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\", "\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnceEx\\", "\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run\\", "\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\", "\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run\\"])
) | input_filename
