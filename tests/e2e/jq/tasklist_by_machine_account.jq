include "prelude";
# rules/discovery/tasklist_by_machine_account.socc
select(
security(4688)
and endswith_("NewProcessName"; "\\tasklist.exe")
and endswith_("SubjectUserName"; "$")
) | input_filename
