// Replays a capture of a real exchange into the live guest: a Java echo client and
// server talking on 127.0.0.1, recorded with tcpdump by the test suite's own
// LoopbackRecorder (corpora/captures/README.md says how to record it again).
// The guest plays the recorded server: its echo service on port 7 gets the
// client's segments with sequence/ack numbers rebased onto its live ISN, and what
// it sends back is compared with what the recorded server sent.
//
// Run: ./wirelab run scripts/replay.groovy [CAPTURE]     (exit 0: the guest behaved as recorded)
import dev.wirelab.emulator.replay.ReplayOptions
import dev.wirelab.emulator.replay.ReplayReport
import dev.wirelab.emulator.wire.Ipv4Address

// wirelabRoot: where wirelab is installed (a sandboxed script may read the shipped corpora there)
capture = args ? args[0] : "${wirelabRoot}/corpora/captures/echo-lo.pcap"

boot()
defaults = ReplayOptions.defaults()
options = new ReplayOptions(defaults.guestIp(),
        ReplayOptions.parseMappings(['127.0.0.1(server)=10.0.2.15', '40855=7']),
        ReplayOptions.Pacing.AS_FAST, defaults.guestAddress(),
        Ipv4Address.parse('10.0.2.100'),    // a peer of its own, apart from the wire's host at 10.0.2.2
        defaults.guestMac(), defaults.peerMac())
report = lab.replay(capture, options, 500_000_000L)
println report.text()
check report.outcome() == ReplayReport.Outcome.CONSISTENT, "the guest diverged from the recording: ${report.firstDivergence()?.describe()}"
println 'replay: the guest answered as the recorded server did'
