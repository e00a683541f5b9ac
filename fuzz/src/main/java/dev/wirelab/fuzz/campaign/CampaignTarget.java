package dev.wirelab.fuzz.campaign;

import dev.wirelab.fuzz.finding.FindingStoreException;

/**
 * The Jazzer entry {@code wirelab fuzz} starts in its child JVM
 * ({@code --target_class=dev.wirelab.fuzz.campaign.CampaignTarget}). Bad input found while
 * starting (an image that never becomes ready, an unwritable out) or a finding that cannot be
 * saved ends the child with exit 2 and one {@code wirelab:} line on stderr, which the parent
 * shows as its own.
 */
public final class CampaignTarget {
    /** The child's exit for bad input: the parent maps it to its own exit 2. */
    public static final int BAD_INPUT = 2;
    /** System property: the pid of the {@code wirelab fuzz} process; the worker ends when it is gone. */
    public static final String PARENT = "wirelab.fuzz.parent";
    private static Campaign campaign;

    private CampaignTarget() {
    }

    public static void fuzzerInitialize() {
        watchParent();
        try {
            campaign = new Campaign(CampaignSettings.fromSystemProperties());
        } catch (RuntimeException e) {
            badInput(e);
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            campaign.run(data);
        } catch (FindingStoreException e) {
            badInput(e);
        }
    }

    /** Jazzer's end-of-run hook (--time reached): the last finding counts reach the disk. */
    public static void fuzzerTearDown() {
        if (campaign != null) {
            campaign.flushCounts();
        }
    }

    /**
     * A SIGKILLed campaign cannot stop its workers; each worker stops itself instead. What it
     * leaves is usable: findings are stored atomically; a corpus entry libFuzzer was writing
     * may be cut short, which is still a valid input (any bytes decode).
     */
    private static void watchParent() {
        String pid = System.getProperty(PARENT);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                () -> Runtime.getRuntime().halt(0));
    }

    private static void badInput(RuntimeException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        System.err.println("wirelab: " + m);
        System.err.flush();
        Runtime.getRuntime().halt(BAD_INPUT); // libFuzzer would report a crash otherwise
    }
}
