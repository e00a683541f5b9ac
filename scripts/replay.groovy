// Replaying a capture into the guest (pcap.replay) belongs to the replay
// engine; this example is filled in when it is part of the build.
// Run: ./wirelab run scripts/replay.groovy   (exit 0, "skipped", until then)
try {
    Class.forName('dev.wirelab.emulator.replay.Replayer')
} catch (ClassNotFoundException e) {
    skip 'replay is not in this build yet (branch replay)'
}
skip 'the replay example is written with the replay engine (its own branch); use ./wirelab replay meanwhile'
