package dev.wirelab.fuzz;

import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.StreamTarget;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fuzz tests' shared fixture: the default guest booted and prepared for {@code tcp-established}
 * (default settings) before a test class's tests, closed after them. Register it with
 * {@code @RegisterExtension static final EstablishedLab LAB = new EstablishedLab();}.
 */
public final class EstablishedLab implements BeforeAllCallback, AfterAllCallback {
    private FuzzLab lab;

    /** The prepared lab (between the class's first and last test). */
    public FuzzLab lab() {
        if (lab == null) {
            throw new IllegalStateException("EstablishedLab is used outside its test class's lifetime");
        }
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lab = FuzzLab.open(GuestProfile.defaultGuest(), StreamTarget.TCP_ESTABLISHED, ExecSettings.defaults());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }
}
