include "prelude";
# rules/command_and_control/portproxy_rule_added.socc
select(
sysmon_registry
and eq("EventType"; "SetValue")
and contains_("TargetObject"; "\\Services\\PortProxy\\v4tov4\\")
) | input_filename
