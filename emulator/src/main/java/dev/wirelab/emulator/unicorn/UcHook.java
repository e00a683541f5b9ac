package dev.wirelab.emulator.unicorn;

/** A registered hook; pass it to {@link Unicorn#removeHook}. */
public record UcHook(long handle, int type) { }
