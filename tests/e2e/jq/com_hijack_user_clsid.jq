include "prelude";
# rules/persistence/com_hijack_user_clsid.socc
select(
sysmon_registry
and eq("EventType"; "SetValue")
and startswith_("TargetObject"; "HKU\\")
and contains_("TargetObject"; "\\CLSID\\")
and contains_any("TargetObject"; ["\\InprocServer32\\", "\\LocalServer32\\", "\\TreatAs\\"])
) | input_filename
