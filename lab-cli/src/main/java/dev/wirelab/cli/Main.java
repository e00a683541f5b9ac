package dev.wirelab.cli;

/** Entry point of the wirelab command. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.out.println("wirelab: under construction");
    }
}
