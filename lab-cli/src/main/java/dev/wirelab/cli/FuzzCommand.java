package dev.wirelab.cli;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.campaign.CampaignSettings;
import dev.wirelab.fuzz.finding.FindingStore;
import dev.wirelab.fuzz.finding.FindingStoreException;
import dev.wirelab.fuzz.finding.ReproFormat;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.monitor.Invariant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wirelab fuzz}: lists the targets and zoo guests, or fuzzes one target. The fuzzing runs
 * in a child JVM under Jazzer/libFuzzer (Jazzer owns its JVM's command line and exits it); the
 * child stores each unique finding itself and keeps going, so one run can end with several.
 * The corpus lives in {@code OUT/corpus/TARGET} (seeded from the built-in seeds when empty), the
 * engine's log in {@code OUT/fuzz.log}, findings in {@code OUT/findings/ID/}.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Fuzzes one target with guest coverage and the panic, fault, hang, liveness and TCP-monitor "
                + "oracles; every new finding becomes OUT/findings/ID/ with repro.groovy (or repro.pkt, --format), "
                + "input.bin, capture.pcapng and report.txt.",
                "Exit code: 0 no new finding, 1 new findings, 2 bad input (unknown target, bad duration, corrupt "
                        + "corpus file, image that never becomes ready, unwritable --out)."})
public final class FuzzCommand implements Callable<Integer> {
    /** A corpus entry larger than this is not ours (inputs are at most a few KiB). */
    static final long MAX_CORPUS_FILE = 1 << 20;

    /** The lab's own robustness targets: Jazzer entries in the fuzz module; any crash is a lab bug. */
    enum HostTarget {
        CAPTURE("host-capture", "dev.wirelab.fuzz.host.HostCaptureTarget",
                "pcap/pcapng readers on any bytes: only CaptureFormatException allowed"),
        PACKET("host-packet", "dev.wirelab.fuzz.host.HostPacketTarget",
                "wire/ decoders on any bytes: only ParseException allowed"),
        VIRTIO("host-virtio", "dev.wirelab.fuzz.host.HostVirtioTarget",
                "virtio-mmio + net/blk/rng driven by a hostile guest: only logged guest errors"),
        PKT("host-pkt", "dev.wirelab.fuzz.host.HostPktTarget",
                "the packetdrill .pkt parser on any text: only a one-line FILE:LINE:COLUMN syntax error");

        final String id;
        final String className;
        final String description;

        HostTarget(String id, String className, String description) {
            this.id = id;
            this.className = className;
            this.description = description;
        }
    }

    private final Io io;

    @Option(names = "--list", description = "List the fuzz targets and the zoo guests, then exit.")
    boolean list;

    @Option(names = "--target", paramLabel = "NAME|all", description = "The target to fuzz (see --list); all: every "
            + "tcp-* target in turn, --time split evenly.")
    String target;

    @Mixin
    GuestOptions guestOptions;

    @Mixin
    FuzzBudgetOptions budget;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Worker processes sharing one corpus directory (default 1); worker i uses seed + i.")
    int jobs;

    @Option(names = "--resume", description = "Continue the campaign in --out (the default anyway: the corpus, "
            + "its coverage and the findings stored there are always kept and reused).")
    boolean resume;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Known finding titles, one a line: only other "
            + "titles make the exit code 1.")
    Path baseline;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "libFuzzer's random seed (default 1: the same seed and corpus give the same run).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "fuzz-out",
            description = "Where the corpus, log and findings go (default: ./fuzz-out).")
    Path out;

    @Option(names = "--promote", paramLabel = "INVARIANT", split = ",",
            description = "TCP-monitor invariants that count as findings (otherwise notes): ack-of-unsent, "
                    + "window-shrunk, data-outside-window, data-after-fin, sequence-backwards.")
    List<String> promote = new ArrayList<>();

    @Option(names = "--format", paramLabel = "groovy|pkt|both", defaultValue = "groovy", description = "The findings' "
            + "repro: repro.groovy (default), repro.pkt (packetdrill, when it can say the finding; else repro.groovy "
            + "and report.txt says why) or both.")
    ReproFormat format;

    public FuzzCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (list) {
            list();
            return ExitCodes.OK;
        }
        if (target == null) {
            throw new UserError("--target is missing: name one of " + targetNames() + " (or use --list)");
        }
        for (HostTarget h : HostTarget.values()) {
            if (h.id.equals(target)) {
                return host(h);
            }
        }
        List<StreamTarget> targets = target.equals("all") ? List.of(StreamTarget.values()) : List.of(target(target));
        List<Invariant> promoted = new ArrayList<>();
        for (String p : promote) {
            try {
                promoted.add(Invariant.parse(p));
            } catch (IllegalArgumentException e) {
                throw new UserError("--promote: " + e.getMessage(), e);
            }
        }
        String guest = guestOptions.spec(io);
        long seconds = budget.seconds();
        Long runs = budget.runs();
        if (jobs < 1 || jobs > 64) {
            throw new UserError("--jobs " + jobs + ": give 1 to 64 worker processes");
        }
        if (resume && !Files.isDirectory(out.resolve("corpus"))) {
            throw new UserError("--resume: " + out + " holds no campaign to continue (no corpus/); drop --resume to "
                    + "start one there");
        }
        java.util.Set<String> known = baseline == null ? java.util.Set.of() : readBaseline(baseline);
        FindingStore store;
        try {
            store = FindingStore.open(out);
        } catch (FindingStoreException e) {
            throw new UserError(e.getMessage(), e);
        }
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        shown.put("targets", String.join(", ", targets.stream().map(StreamTarget::id).toList()));
        shown.put("guest", guest);
        shown.put("time", budget.shownTime());
        shown.put("runs per worker", runs == null ? "-" : Long.toString(runs));
        shown.put("jobs", Integer.toString(jobs));
        shown.put("seed", seed + (jobs > 1 ? " (worker i: seed + i)" : ""));
        shown.put("out", out.toAbsolutePath().toString());
        shown.put("promoted invariants", promote.isEmpty() ? "-" : String.join(", ", promote));
        shown.put("baseline", baseline == null ? "- (findings stored before this run count as known)"
                : baseline + " (" + known.size() + " titles)");
        shown.put("wirelab", Version.wirelab());
        FuzzCampaign.Plan plan = new FuzzCampaign.Plan(targets, guest, out, jobs, seconds, runs, seed, known, shown);
        FuzzCampaign.Outcome o = new FuzzCampaign(io, plan, new FuzzCampaign.Engine() {
            @Override
            public Path corpus(StreamTarget t) throws IOException {
                return FuzzCommand.this.corpus(t);
            }

            @Override
            public List<String> command(StreamTarget t, Path corpus, long s, long workerSeed) {
                CampaignSettings settings = new CampaignSettings(t, guest, out, promoted, Version.wirelab());
                return streamChildCommand(settings, corpus, s, workerSeed);
            }
        }).run();
        for (Path f : o.fresh()) {
            int repro = ReproCheck.verify(f, guest);
            io.out().println("finding: " + f + (repro == 1 ? " (" + ReproCheck.primary(f) + " reproduces it)"
                    : " (warning: " + ReproCheck.primary(f) + " exits " + repro + ", see report.txt)"));
        }
        int found = o.fresh().size();
        String what = targets.size() == 1 ? targets.getFirst().id() : "all targets";
        io.out().println(what + " on " + guest + ": " + (found == 0 ? "no new finding" : found + " new finding"
                + (found == 1 ? "" : "s") + " in " + store.directory()) + " (" + o.execs() + " executions, " + jobs
                + " job" + (jobs == 1 ? "" : "s") + "; report " + out.resolve("report.html") + ", logs "
                + out.resolve("logs") + ")");
        if (o.internalError() && found == 0) {
            return ExitCodes.INTERNAL;
        }
        return found == 0 ? ExitCodes.OK : 1;
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = {"Merges and minimizes corpora by guest "
            + "edge coverage: every entry of OUT_DIR and IN_DIRs runs once, smallest first, and is kept when it adds "
            + "coverage. Kept entries are written into OUT_DIR (named by SHA-1, each atomically), then OUT_DIR's "
            + "redundant entries are removed; IN_DIRs are only read.",
            "Exit code: 0 merged, 2 bad input."})
    int merge(@Option(names = "--target", required = true, paramLabel = "NAME", description = "The tcp-* target "
                      + "the corpora belong to.") String mergeTarget,
              @Mixin GuestOptions mergeGuest,
              @picocli.CommandLine.Parameters(index = "0", paramLabel = "OUT_DIR") Path into,
              @picocli.CommandLine.Parameters(index = "1..*", arity = "0..*", paramLabel = "IN_DIR") List<Path> from)
            throws IOException {
        StreamTarget t = target(mergeTarget);
        GuestProfile p = GuestProfile.named(mergeGuest.spec(io));
        List<Path> ins = from == null ? List.of() : from;
        for (Path d : ins) {
            if (!Files.isDirectory(d)) {
                throw new UserError("merge: input corpus " + d + " is not a folder");
            }
            checkCorpus(d);
        }
        if (Files.exists(into) && !Files.isDirectory(into)) {
            throw new UserError("merge: " + into + " is not a folder (give the corpus folder to merge into)");
        }
        if (Files.isDirectory(into)) {
            checkCorpus(into);
        }
        try {
            dev.wirelab.fuzz.campaign.CorpusMerge.Result r = dev.wirelab.fuzz.campaign.CorpusMerge.merge(p, t, into, ins);
            io.out().println("merged " + r.inputs() + " entries (" + r.unique() + " distinct) into " + into + ": kept "
                    + r.kept() + " covering " + r.features() + " edge features, removed " + r.removed()
                    + " redundant from it");
        } catch (java.nio.file.FileSystemException e) {
            throw new UserError("merge: cannot write " + into + " (" + e.getMessage() + "); nothing was lost", e);
        }
        return ExitCodes.OK;
    }

    /** One known finding title a line; blank lines and {@code #} comments ignored. */
    private static java.util.Set<String> readBaseline(Path file) {
        try {
            java.util.Set<String> titles = new java.util.HashSet<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank() && !l.strip().startsWith("#")) {
                    titles.add(l.strip());
                }
            }
            return titles;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("--baseline " + file + ": cannot read it (" + e.getMessage()
                    + "); give a text file with one known finding title a line", e);
        }
    }

    /** A host target: Jazzer on its class; a crash (libFuzzer's exit) is a finding in the lab itself. */
    private int host(HostTarget h) throws IOException, InterruptedException {
        long seconds = budget.seconds();
        Path corpus = corpusDir(h.id);
        checkCorpus(corpus);
        Path log = out.resolve("fuzz.log");
        Process child = new ProcessBuilder(worker().jazzer(Map.of(), h.className, "dev.wirelab.**", corpus, seconds, seed))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = child.waitFor();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (code == 0) {
            io.out().println(h.id + ": no crash (" + stat(lines, "stat::number_of_executed_units") + " executions; log "
                    + log + ")");
            return ExitCodes.OK;
        }
        String crash = lines.stream().filter(l -> l.contains("Test unit written to ")).reduce((a, b) -> b)
                .map(l -> l.substring(l.indexOf("Test unit written to ") + 21).strip()).orElse("see " + log);
        io.out().println(h.id + ": the lab itself failed on an input (a host bug): " + crash + " (log " + log + ")");
        return 1;
    }

    private List<String> streamChildCommand(CampaignSettings s, Path corpus, long seconds, long workerSeed) {
        return worker().stream(s, corpus, dictionary(s.target()), seconds, workerSeed);
    }

    private FuzzWorker worker() {
        return new FuzzWorker(out, budget.runs(), format);
    }

    /** {@code OUT/corpus/TARGET.dict}: the target's single-action words (fuzz/README.md, "Finding composites"). */
    private Path dictionary(StreamTarget t) {
        return out.resolve("corpus").resolve(t.id() + ".dict");
    }

    /** {@code OUT/corpus/TARGET}: checked entry by entry, seeded from the built-in seeds when empty; its dictionary written. */
    private Path corpus(StreamTarget t) throws IOException {
        Path dir = corpusDir(t.id());
        FuzzWorker.writeDictionary(t, dictionary(t));
        if (checkCorpus(dir) == 0) {
            FuzzWorker.writeSeeds(t, dir);
        }
        return dir;
    }

    private Path corpusDir(String id) {
        Path dir = out.resolve("corpus").resolve(id);
        try {
            Files.createDirectories(out.resolve("crashes"));
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage() + " (choose a writable --out)", e);
        }
        return dir;
    }

    /** Every entry must be a readable regular file of plausible size; returns how many there are. */
    private static int checkCorpus(Path dir) throws IOException {
        int entries = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().startsWith(".")) {
                    continue; // an atomic write's temp file
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(p)) {
                    throw new UserError("corrupt corpus file " + p + ": not a readable regular file "
                            + "(remove it or choose another --out)");
                }
                if (Files.size(p) > MAX_CORPUS_FILE) {
                    throw new UserError("corrupt corpus file " + p + ": " + Files.size(p) + " bytes, inputs are at most "
                            + MAX_CORPUS_FILE + " (remove it or choose another --out)");
                }
                entries++;
            }
        }
        return entries;
    }

    private void list() throws IOException {
        io.out().println("targets:");
        for (StreamTarget t : StreamTarget.values()) {
            io.out().printf("  %-18s %s%n", t.id(), describe(t));
        }
        for (HostTarget h : HostTarget.values()) {
            io.out().printf("  %-18s %s%n", h.id, h.description);
        }
        io.out().println("zoo guests (--guest zoo:NAME):");
        for (String z : GuestProfile.ZOO) {
            io.out().printf("  %-18s %s%n", "zoo:" + z, zooReport(z));
        }
    }

    private static String describe(StreamTarget t) {
        return switch (t) {
            case TCP_LISTEN -> "segment streams against a listening socket (handshake reachable, then anything)";
            case TCP_ESTABLISHED -> "segments interleaved with the application's reads and writes on an established "
                    + "connection";
            case TCP_INTERLEAVE -> "timer ticks at chosen instruction offsets while segments and syscalls are in flight";
        };
    }

    /** The first line of the zoo guest's description (the report it is modelled on). */
    private static String zooReport(String name) throws IOException {
        try (InputStream in = FuzzCommand.class.getResourceAsStream("/guest/zoo/" + name + ".txt")) {
            if (in == null) {
                return "(description missing from this build)";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        }
    }

    private static StreamTarget target(String name) {
        for (StreamTarget t : StreamTarget.values()) {
            if (t.id().equals(name)) {
                return t;
            }
        }
        throw new UserError("unknown fuzz target '" + name + "': known targets are " + targetNames()
                + " (see 'wirelab fuzz --list')");
    }

    private static String targetNames() {
        List<String> l = new ArrayList<>();
        for (StreamTarget t : StreamTarget.values()) {
            l.add(t.id());
        }
        for (HostTarget h : HostTarget.values()) {
            l.add(h.id);
        }
        return String.join(", ", l) + " (or all)";
    }

    private static String stat(List<String> lines, String key) {
        for (String l : lines) {
            if (l.startsWith(key)) {
                return l.substring(l.indexOf(':', key.length()) + 1).strip();
            }
        }
        return "?";
    }
}
