include "prelude";
# rules/command_and_control/rdp_over_loopback_tunnel.socc
select(
sysmon(3)
and (num_eq("DestinationPort"; 3389) or num_eq("SourcePort"; 3389))
and startswith_("SourceIp"; "127.")
and startswith_("DestinationIp"; "127.")
) | input_filename
