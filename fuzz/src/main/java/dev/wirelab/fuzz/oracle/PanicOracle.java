package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.Panic;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.Execution;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * A guest panic: the profile's console pattern (the default guest's {@code !!! PANIC !!!} report,
 * titled by its Message and Location), its panic symbol reached, or a semihosting exit with the
 * profile's panic code.
 */
public final class PanicOracle implements Oracle {
    private final GuestProfile profile;

    public PanicOracle(GuestProfile profile) {
        this.profile = profile;
    }

    @Override
    public Optional<Finding> check(Execution e, Lab lab) {
        if (profile.panicPattern() != null) {
            Matcher m = profile.panicPattern().matcher(e.console());
            if (m.find()) {
                Panic p = Panic.find(e.console());
                if (p != null && !p.message().isEmpty()) {
                    return Optional.of(new Finding("panic", "panic: " + p.title(), p.text()));
                }
                String line = lineAt(e.console(), m.start());
                return Optional.of(new Finding("panic", "panic: " + line.strip(), e.console().substring(m.start())));
            }
        }
        if (e.ended() != null && e.ended().cause() == StopCause.BREAKPOINT && profile.panicSymbol() != null) {
            return Optional.of(new Finding("panic", "panic: reached " + profile.panicSymbol(), e.ended().toString()));
        }
        if (e.ended() != null && e.ended().cause() == StopCause.GUEST_EXIT && exitIsPanic(e.ended().detail())) {
            return Optional.of(new Finding("panic", "panic: guest exited (" + e.ended().detail() + ")", e.console()));
        }
        return Optional.empty();
    }

    private boolean exitIsPanic(String detail) {
        Matcher m = java.util.regex.Pattern.compile("code (-?\\d+)").matcher(detail == null ? "" : detail);
        if (!m.find()) {
            return false;
        }
        int code = Integer.parseInt(m.group(1));
        return profile.panicExitCode() == null ? code != 0 : code == profile.panicExitCode();
    }

    private static String lineAt(String text, int at) {
        int s = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(s, end < 0 ? text.length() : end);
    }
}
