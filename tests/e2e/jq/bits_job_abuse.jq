include "prelude";
# rules/defense_evasion/bits_job_abuse.socc
select(
sysmon(1)
and endswith_("Image"; "\\bitsadmin.exe")
and contains_any("CommandLine"; ["/transfer", "/addfile", "/setnotifycmdline"])
) | input_filename
