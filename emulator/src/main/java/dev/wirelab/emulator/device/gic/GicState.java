package dev.wirelab.emulator.device.gic;

/** The whole state of an interrupt controller: one record per model. */
public sealed interface GicState permits GicV2.State, GicV3.State {
}
