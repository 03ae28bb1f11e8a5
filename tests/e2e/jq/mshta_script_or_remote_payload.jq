include "prelude";
# rules/defense_evasion/mshta_script_or_remote_payload.socc
select(
sysmon(1)
and endswith_("Image"; "\\mshta.exe")
and contains_any("CommandLine"; ["javascript:", "vbscript:", "http://", "https://", ".hta"])
) | input_filename
