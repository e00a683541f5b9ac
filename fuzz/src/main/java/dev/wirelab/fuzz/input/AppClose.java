package dev.wirelab.fuzz.input;

/** The guest application closes its connection socket. */
public record AppClose() implements Action {
}
