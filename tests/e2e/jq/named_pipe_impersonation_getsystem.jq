include "prelude";
# rules/privilege_escalation/named_pipe_impersonation_getsystem.socc
select(
sysmon(1)
and endswith_("ParentImage"; "\\services.exe")
and endswith_("Image"; "\\cmd.exe")
and contains_("CommandLine"; "echo")
and contains_("CommandLine"; "\\pipe\\")
) | input_filename
