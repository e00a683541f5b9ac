package dev.wirelab.emulator.lab;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture of the tests that drive the default guest through the lab: one lab per test class,
 * booted once before the first test (booting is the slow part), back in its booted state with the
 * default budget before each test, closed after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BootedLab BOOTED = new BootedLab();
 * static final Lab lab = BOOTED.lab();
 * }</pre>
 *
 * Dynamic tests get no per-test callback: a {@code @TestFactory} calls {@link #reset()} in each.
 */
public final class BootedLab implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Lab lab = new Lab();

    /** The lab (booted from the class's first test on). */
    public Lab lab() {
        return lab;
    }

    /** Back to the booted state, with the default instruction budget. */
    public void reset() {
        lab.reset();
        lab.setBudget(Lab.DEFAULT_BUDGET);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lab.boot();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        lab.close();
    }
}
