include "prelude";
# rules/credential_access/credential_prompt_phishing.socc
select(
ps4104
and contains_("ScriptBlockText"; "PromptForCredential")
) | input_filename
