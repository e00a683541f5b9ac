package dev.wirelab.fuzz.finding;

/**
 * Which repro a finding gets ({@code wirelab fuzz --format}): the Groovy script, the packetdrill
 * script ({@link PktRepro}) when packetdrill can say the finding (else the Groovy one, and the
 * report says why), or both.
 */
public enum ReproFormat {
    GROOVY, PKT, BOTH;

    /** The fuzzing child's system property that carries the format ({@code wirelab fuzz} sets it). */
    public static final String PROPERTY = "wirelab.fuzz.format";

    /** The format the parent asked for; GROOVY when it asked for none. */
    public static ReproFormat fromSystemProperties() {
        return valueOf(System.getProperty(PROPERTY, GROOVY.name()));
    }

    boolean wantsPkt() {
        return this != GROOVY;
    }

    boolean wantsGroovy() {
        return this != PKT;
    }
}
