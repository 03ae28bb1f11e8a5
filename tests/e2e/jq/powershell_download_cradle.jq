include "prelude";
# rules/execution/powershell_download_cradle.socc
select(
sysmon(1)
and endswith_any("Image"; ["\\powershell.exe", "\\pwsh.exe"])
and contains_any("CommandLine"; ["downloadstring", "downloadfile", "downloaddata", "net.webclient", "invoke-webrequest", "start-bitstransfer"])
) | input_filename
