include "prelude";
# rules/defense_evasion/rundll32_lolbas_proxy.socc
select(
sysmon(1)
and endswith_("Image"; "\\rundll32.exe")
and contains_any("CommandLine"; ["javascript:", "url.dll,FileProtocolHandler", "url.dll,OpenURL", "shdocvw.dll,OpenURL", "ieframe.dll,OpenURL", "zipfldr.dll,RouteTheCall", "advpack.dll,RegisterOCX", "pcwutl.dll,LaunchApplication"])
) | input_filename
