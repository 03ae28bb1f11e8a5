include "prelude";
# rules/lateral_movement/pass_the_hash_logon.socc
select(
security(4624)
and num_eq("LogonType"; 9)
and startswith_("LogonProcessName"; "seclogo")
and eq("AuthenticationPackageName"; "Negotiate")
) | input_filename
