package dev.wirelab.cli;

import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.campaign.CampaignSettings;
import dev.wirelab.fuzz.campaign.CampaignTarget;
import dev.wirelab.fuzz.finding.AtomicFiles;
import dev.wirelab.fuzz.finding.ReproFormat;
import dev.wirelab.fuzz.input.Dictionary;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.StreamTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of one Jazzer/libFuzzer worker JVM: what {@code wirelab fuzz} starts per job
 * and {@code wirelab bench} starts for its engine row, so both measure the same engine.
 *
 * @param out    the campaign's folder (crashes, Jazzer's reproducers)
 * @param runs   libFuzzer's {@code -runs} (null: unbounded)
 * @param format the findings' repro format (stream targets)
 */
public record FuzzWorker(Path out, Long runs, ReproFormat format) {
    /** The engine's JVM flags (the set that silences JDK 25's warnings under Jazzer 0.30; a pre-touched heap keeps
     * the JVM's first-touch page faults from forcing full guest-RAM scans at restores, see wl_dirty_restore). */
    public static final List<String> JVM = List.of("-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xshare:off", "-Xms256m", "-XX:+AlwaysPreTouch");
    /**
     * The classes of a stream target Jazzer instruments: only the input decoder, whose branches and
     * comparisons are the Java-side signal worth having (guest edges are the real feedback). Both
     * coverage and hooks: Jazzer's default applies its ~1,300 hooks (comparison tracing, sanitizers)
     * to every class we load, ~300 emulator classes, which only slows the run and its start.
     */
    public static final String STREAM_INSTRUMENTED = "dev.wirelab.fuzz.input.**";
    /** What libFuzzer may grow a stream input to (fuzz/README.md: with len_control 0 and the 508-byte seed). */
    public static final int STREAM_MAX_LEN = 512;

    /** A stream target's worker on {@code corpus} with its dictionary {@code dict}. */
    public List<String> stream(CampaignSettings s, Path corpus, Path dict, long seconds, long seed) {
        List<String> cmd = jazzer(s.properties(), CampaignTarget.class.getName(), STREAM_INSTRUMENTED, corpus,
                seconds, seed);
        cmd.add(1, "-D" + ReproFormat.PROPERTY + "=" + format.name());
        cmd.add("-max_len=" + STREAM_MAX_LEN); // fuzz/README.md: without these libFuzzer keeps new inputs near the seeds' size
        cmd.add("-len_control=0");
        cmd.add("-dict=" + dict.toAbsolutePath());
        return cmd;
    }

    /** Jazzer on {@code targetClass}, instrumenting (coverage and hooks) only the classes {@code instrument} matches. */
    public List<String> jazzer(Map<String, String> props, String targetClass, String instrument, Path corpus,
                               long seconds, long seed) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        for (Map.Entry<String, String> p : props.entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        // Where the project (and so libunicorn) is: the worker may run outside the checkout.
        for (String k : List.of("wirelab.root", "wirelab.unicorn")) {
            if (System.getProperty(k) != null) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        // The worker ends itself when this process is gone (SIGKILL leaves no orphan fuzzing on).
        cmd.add("-D" + CampaignTarget.PARENT + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("com.code_intelligence.jazzer.Jazzer");
        cmd.add("--target_class=" + targetClass);
        cmd.add("--instrumentation_includes=" + instrument);
        cmd.add("--custom_hook_includes=" + instrument);
        // Jazzer's Java reproducer would otherwise land in the user's working directory.
        cmd.add("--reproducer_path=" + out.toAbsolutePath().resolve("crashes"));
        cmd.add(corpus.toAbsolutePath().toString());
        cmd.add("-seed=" + seed);
        cmd.add("-print_final_stats=1");
        cmd.add("-rss_limit_mb=8192");
        cmd.add("-timeout=300"); // hangs are the harness's instruction budget; this only catches a stuck host
        cmd.add("-artifact_prefix=" + out.toAbsolutePath().resolve("crashes") + "/");
        if (runs != null) {
            cmd.add("-runs=" + runs);
        }
        if (seconds > 0) {
            cmd.add("-max_total_time=" + seconds);
        }
        return cmd;
    }

    /** Writes {@code t}'s dictionary (fuzz/README.md, "Finding composites") to {@code dict}. */
    public static void writeDictionary(StreamTarget t, Path dict) throws IOException {
        AtomicFiles.write(dict, Dictionary.render(t, Seeds.vocabulary(t)).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code t}'s built-in seeds into {@code corpus} as {@code seed-NAME}. */
    public static void writeSeeds(StreamTarget t, Path corpus) throws IOException {
        for (Map.Entry<String, FuzzInput> e : Seeds.forTarget(t).entrySet()) {
            AtomicFiles.write(corpus.resolve("seed-" + e.getKey()), InputEncoder.encode(e.getValue()));
        }
    }
}
