package halo.parallel;

import java.util.Set;

/**
 * How this process was started: by an MPJ Express starter (which passes
 * {@code rank, size-or-config, device} before the user's arguments) or as a plain
 * {@code java -jar}, which runs one rank without MPJ.
 *
 * @param communicator the ranks of this run
 * @param arguments    the user's own arguments
 */
public record Launch(Communicator communicator, String[] arguments) {

    private static final Set<String> MPJ_DEVICES = Set.of("smpdev", "multicore", "niodev", "hybdev", "mxdev", "native");

    public static Launch of(String[] processArguments) {
        if (processArguments.length >= 3 && MPJ_DEVICES.contains(processArguments[2])
                && processArguments[0].matches("\\d+")) {
            return MpjCommunicator.init(processArguments);
        }
        return new Launch(new SerialCommunicator(), processArguments);
    }
}
