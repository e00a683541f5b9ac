package dev.wirelab.emulator.board;

/**
 * A component whose state a whole-machine snapshot must carry (devices added
 * after the board was built, host endpoints). State objects are immutable
 * values; restore validates what it is given.
 */
public interface Snapshottable {
    Object saveState();

    void restoreState(Object state);
}
