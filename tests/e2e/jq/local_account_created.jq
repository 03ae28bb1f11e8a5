include "prelude";
# rules/persistence/local_account_created.socc
select(
sysmon_registry
and eq("EventType"; "CreateKey")
and endswith_("Image"; "\\lsass.exe")
and contains_("TargetObject"; "\\SAM\\Domains\\Account\\Users\\Names\\")
) | input_filename
