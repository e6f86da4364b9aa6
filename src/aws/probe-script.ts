// The scripts the client probe runs through SSM Run Command: resolve, TCP-connect, TLS handshake, nothing installed.
// Both print the same versioned, line-oriented format (src/checks/client-probe-output.ts reads it strictly):
//   VPCE-PROBE 1 <linux|windows>
//   RESOLVE <name> OK <address>[,<address>...]   |  RESOLVE <name> FAIL <reason>
//   CONNECT <address> <port> OK|TIMEOUT|REFUSED   |  CONNECT <address> <port> ERROR <text>
//   TLS <name> <address> <port> OK <protocol>     |  TLS <name> <address> <port> FAIL <text>  |  TLS <name> - - SKIP <reason>
//   END <elapsed ms>
// Resolution, connections and handshakes each run in parallel with a 3 s limit, so the script ends in about 6 s;
// the document's executionTimeout (10 s) is the hard stop.

/** The probe's hard time budget on the instance, in seconds (the document's executionTimeout). */
export const PROBE_BUDGET_SECONDS = 10;

/** What the probe tests: the DNS names to resolve, the TCP ports to connect to, and the port to try TLS on. */
export interface ProbePlan {
  names: string[];
  ports: number[];
  /** The port of the TLS handshake (443 when the service listens there); absent: no handshake. */
  tlsPort?: number;
}

const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Whether `name` is a plain DNS name safe to hand to a shell or PowerShell literal. */
export function isProbeName(name: string): boolean {
  return DNS_NAME.test(name);
}

function checkedPlan(plan: ProbePlan): ProbePlan {
  const unsafe = plan.names.find((name) => !isProbeName(name));
  if (unsafe !== undefined) throw new Error(`not a DNS name the probe can test: ${JSON.stringify(unsafe)}`);
  const badPort = [...plan.ports, ...(plan.tlsPort ? [plan.tlsPort] : [])].find(
    (port) => !Number.isInteger(port) || port < 1 || port > 65535,
  );
  if (badPort !== undefined) throw new Error(`not a TCP port: ${badPort}`);
  return plan;
}

const LINUX_BODY = String.raw`
set -o pipefail
names="$1"; ports="$2"; tlsport="$3"
SECONDS=0
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
clean() { tr -c '\040-\176' ' ' | cut -c1-160; }
echo "VPCE-PROBE 1 linux"
i=0
for n in $names; do
  i=$((i+1))
  ( a=$(timeout 3 getent ahosts "$n" 2>/dev/null | awk '{print $1}' | sort -u | head -n 8 | paste -sd, -)
    rc=$?
    if [ -n "$a" ]; then echo "RESOLVE $n OK $a"; elif [ "$rc" = 124 ]; then echo "RESOLVE $n FAIL timeout"; else echo "RESOLVE $n FAIL not-found"; fi
  ) > "$dir/r$i" &
done
wait
cat "$dir"/r* 2>/dev/null
addrs=$(cat "$dir"/r* 2>/dev/null | awk '$3=="OK"{print $4}' | tr ',' '\n' | sort -u)
j=0
for a in $addrs; do
  for p in $ports; do
    j=$((j+1))
    ( err=$(timeout 3 bash -c "exec 3<>/dev/tcp/$a/$p" 2>&1); rc=$?
      if [ "$rc" = 0 ]; then echo "CONNECT $a $p OK"
      elif [ "$rc" = 124 ]; then echo "CONNECT $a $p TIMEOUT"
      elif printf '%s' "$err" | grep -qi refused; then echo "CONNECT $a $p REFUSED"
      else echo "CONNECT $a $p ERROR $(printf '%s' "$err" | tail -n 1 | sed 's/^.*: //' | clean)"; fi
    ) > "$dir/c$j" &
  done
done
k=0
for n in $names; do
  k=$((k+1))
  a=$(awk -v n="$n" '$1=="RESOLVE" && $2==n && $3=="OK"{print $4}' "$dir"/r* 2>/dev/null | cut -d, -f1)
  if [ -z "$tlsport" ]; then echo "TLS $n - - SKIP no-tls-port" > "$dir/t$k"; continue; fi
  if [ -z "$a" ]; then echo "TLS $n - - SKIP not-resolved" > "$dir/t$k"; continue; fi
  if ! command -v openssl >/dev/null 2>&1; then echo "TLS $n - - SKIP no-openssl" > "$dir/t$k"; continue; fi
  ( out=$(timeout 3 openssl s_client -connect "$a:$tlsport" -servername "$n" </dev/null 2>&1); rc=$?
    proto=$(printf '%s\n' "$out" | sed -n 's/^ *Protocol *: *//p; s/^New, \(TLSv[0-9.]*\),.*/\1/p' | head -n 1 | clean); [ -n "$proto" ] || proto=unknown
    if printf '%s' "$out" | grep -q 'Cipher is ' && ! printf '%s' "$out" | grep -q 'Cipher is (NONE)'; then echo "TLS $n $a $tlsport OK $proto"
    elif [ "$rc" = 124 ]; then echo "TLS $n $a $tlsport FAIL handshake timed out"
    else echo "TLS $n $a $tlsport FAIL $(printf '%s\n' "$out" | grep -iE 'error|alert|errno|refused' | head -n 1 | clean)"; fi
  ) > "$dir/t$k" &
done
wait
cat "$dir"/c* "$dir"/t* 2>/dev/null
echo "END $((SECONDS * 1000))"
`;

/** The AWS-RunShellScript commands: the script travels base64-encoded (no quoting issues) and runs under bash. */
export function linuxCommands(plan: ProbePlan): string[] {
  const { names, ports, tlsPort } = checkedPlan(plan);
  const encoded = Buffer.from(LINUX_BODY, "utf8").toString("base64");
  const args = [names.join(" "), ports.join(" "), tlsPort ? String(tlsPort) : ""].map((arg) => `'${arg}'`);
  return [`printf '%s' '${encoded}' | base64 -d | timeout 9 bash -s -- ${args.join(" ")}`];
}

const WINDOWS_BODY = String.raw`
$sw = [Diagnostics.Stopwatch]::StartNew()
function Clean([string]$s) { $t = ($s -replace '[^\x20-\x7e]', ' ').Trim(); if ($t.Length -gt 160) { $t = $t.Substring(0, 160) }; if ($t -eq '') { 'error' } else { $t } }
Write-Output 'VPCE-PROBE 1 windows'
$lookups = @()
foreach ($n in $names) { $lookups += ,@($n, [System.Net.Dns]::GetHostAddressesAsync($n)) }
$resolved = [ordered]@{}
foreach ($l in $lookups) {
  $n = $l[0]
  try {
    if (-not $l[1].Wait([Math]::Max(0, 3000 - $sw.ElapsedMilliseconds))) { Write-Output "RESOLVE $n FAIL timeout"; continue }
    $a = @($l[1].Result | ForEach-Object { $_.IPAddressToString } | Sort-Object -Unique | Select-Object -First 8)
    if ($a.Count -eq 0) { Write-Output "RESOLVE $n FAIL not-found"; continue }
    Write-Output ("RESOLVE $n OK " + ($a -join ','))
    $resolved[$n] = $a
  } catch { Write-Output "RESOLVE $n FAIL not-found" }
}
$addrs = @($resolved.Values | ForEach-Object { $_ } | Sort-Object -Unique)
$t0 = $sw.ElapsedMilliseconds
$jobs = @()
foreach ($a in $addrs) { foreach ($p in $ports) { $c = New-Object System.Net.Sockets.TcpClient; $jobs += ,@($a, $p, $c, $c.ConnectAsync($a, $p)) } }
foreach ($j in $jobs) {
  $head = "CONNECT $($j[0]) $($j[1])"
  try {
    if ($j[3].Wait([Math]::Max(0, 3000 - ($sw.ElapsedMilliseconds - $t0)))) { Write-Output "$head OK" } else { Write-Output "$head TIMEOUT" }
  } catch {
    $e = $_.Exception.GetBaseException()
    if ($e -is [System.Net.Sockets.SocketException] -and $e.SocketErrorCode -eq 'ConnectionRefused') { Write-Output "$head REFUSED" }
    elseif ($e -is [System.Net.Sockets.SocketException] -and $e.SocketErrorCode -eq 'TimedOut') { Write-Output "$head TIMEOUT" }
    else { Write-Output "$head ERROR $(Clean $e.Message)" }
  }
  $j[2].Dispose()
}
foreach ($n in $names) {
  if (-not $tlsPort) { Write-Output "TLS $n - - SKIP no-tls-port"; continue }
  if (-not $resolved.Contains($n)) { Write-Output "TLS $n - - SKIP not-resolved"; continue }
  $a = $resolved[$n][0]
  $head = "TLS $n $a $tlsPort"
  $c = New-Object System.Net.Sockets.TcpClient
  try {
    if (-not $c.ConnectAsync($a, $tlsPort).Wait(3000)) { Write-Output "$head FAIL connect timed out"; continue }
    $c.ReceiveTimeout = 3000; $c.SendTimeout = 3000
    $ssl = New-Object System.Net.Security.SslStream($c.GetStream(), $false, ({ $true }))
    $ssl.ReadTimeout = 3000; $ssl.WriteTimeout = 3000
    $ssl.AuthenticateAsClient($n)
    Write-Output "$head OK $($ssl.SslProtocol)"
  } catch { Write-Output "$head FAIL $(Clean $_.Exception.GetBaseException().Message)" } finally { $c.Dispose() }
}
Write-Output "END $($sw.ElapsedMilliseconds)"
`;

/** The AWS-RunPowerShellScript commands: the names and ports as literals (already validated), then the script. */
export function windowsCommands(plan: ProbePlan): string[] {
  const { names, ports, tlsPort } = checkedPlan(plan);
  const header = [
    `$names = @(${names.map((name) => `'${name}'`).join(", ")})`,
    `$ports = @(${ports.join(", ")})`,
    `$tlsPort = ${tlsPort ?? 0}`,
  ];
  return [...header, ...WINDOWS_BODY.trim().split("\n")];
}
