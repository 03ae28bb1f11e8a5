include "prelude";
# rules/defense_evasion/process_injection_unbacked_memory.socc
select(
sysmon(10)
and contains_("CallTrace"; "UNKNOWN(")
and in_("GrantedAccess"; ["0x1f0fff", "0x1f1fff", "0x1f3fff", "0x1fffff", "0x1fff", "0x143a"])
) | input_filename
