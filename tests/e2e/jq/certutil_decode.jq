include "prelude";
# rules/defense_evasion/certutil_decode.socc
select(
sysmon(1)
and endswith_("Image"; "\\certutil.exe")
and contains_any("CommandLine"; ["-decode", "/decode"])
) | input_filename
