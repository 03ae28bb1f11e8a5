include "prelude";
# rules/command_and_control/certutil_download.socc
select(
sysmon(1)
and endswith_("Image"; "\\certutil.exe")
and contains_any("CommandLine"; ["urlcache", "verifyctl"])
and contains_any("CommandLine"; ["http://", "https://"])
) | input_filename
