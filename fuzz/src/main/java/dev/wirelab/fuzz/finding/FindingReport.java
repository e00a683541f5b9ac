package dev.wirelab.fuzz.finding;

import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.oracle.Finding;
import java.util.List;

/** {@code report.txt}: what was found, the evidence, the exchange's last frames, and how to rerun it. */
final class FindingReport {
    static final int LAST_FRAMES = 16;

    private FindingReport() {
    }

    static String render(GuestProfile profile, Finding f, FuzzInput original, FuzzInput small, int minimizeRuns,
                         Execution e, List<String> notes, String traceHash, boolean groovy, PktRepro.Outcome pkt) {
        StringBuilder b = new StringBuilder();
        b.append("title:   ").append(f.title()).append('\n');
        b.append("oracle:  ").append(f.oracle()).append('\n');
        b.append("target:  ").append(small.target().id()).append('\n');
        b.append("guest:   ").append(profile.name()).append('\n');
        b.append("input:   ").append(small.actions().size()).append(" actions (minimized from ")
                .append(original.actions().size()).append(" in ").append(minimizeRuns).append(" re-runs)\n");
        b.append("trace:   ").append(traceHash).append(" (").append(String.format("%,d", e.instructions()))
                .append(" instructions, ").append(Execution.formatTicks(e.ticks())).append(" virtual)\n");
        b.append("\nrerun:\n");
        if (groovy) {
            b.append("  ./wirelab run repro.groovy              # exits 1 while the bug is there\n");
            b.append("  ./wirelab run repro.groovy default      # the same steps on the default guest\n");
        }
        if (pkt instanceof PktRepro.Script) {
            b.append("  ./wirelab run repro.pkt ").append(PktRepro.guestArgument(profile)).append("   # packetdrill: exits 1 while the bug is there\n");
            b.append("  ./wirelab run repro.pkt                 # the same script on the default guest\n");
        } else if (pkt instanceof PktRepro.Unsayable u) {
            b.append("  (no repro.pkt: ").append(u.reason()).append(")\n");
        }
        b.append("\nevidence:\n");
        indent(b, f.detail());
        b.append("\nminimized input:\n");
        indent(b, small.toString());
        if (!notes.isEmpty() || !e.notes().isEmpty()) {
            b.append("\nnotes:\n");
            notes.forEach(n -> indent(b, n));
            e.notes().forEach(n -> indent(b, n));
        }
        List<FrameEvent> frames = e.frames();
        b.append("\nlast frames (of ").append(frames.size()).append("; all of them in capture.pcapng):\n");
        for (FrameEvent fr : frames.subList(Math.max(0, frames.size() - LAST_FRAMES), frames.size())) {
            indent(b, fr.toString());
        }
        return b.toString();
    }

    private static void indent(StringBuilder b, String text) {
        for (String l : text.strip().split("\n")) {
            b.append("  ").append(l).append('\n');
        }
    }
}
