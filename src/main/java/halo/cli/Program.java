package halo.cli;

import java.util.List;
import java.util.Map;

import halo.parallel.Communicator;
import halo.params.ParameterSource;
import halo.params.RankJvm;
import halo.run.Decomposition;
import halo.run.RunContext;

/** One of Halo's programs as the command line sees it: its options, help, and how to start it. */
interface Program {

    /** A parameter option: {@code --name VALUE}, also a key of the conf file. */
    record Parameter(String name, String valueName, String description) {}

    /** An option of both programs: the form of their kernels (halo.params.KernelChoice). */
    Parameter KERNELS = new Parameter("kernels", "FORM", "kernel form, the same result either way: vector (the"
            + " JDK's Vector API, in a JVM started with --add-modules=jdk.incubator.vector, as mpjrun.sh does),"
            + " scalar, or auto: vector when the JVM has it (default auto)");

    /** An option of both programs: the timeline of the run (halo.run.Timeline). */
    Parameter TRACE = new Parameter("trace", "BOOL", "record every rank's phases with timestamps and write"
            + " trace.json in the run directory (Chrome trace-event format: open it in ui.perfetto.dev or"
            + " chrome://tracing): True/False (default False; --trace alone means True)");

    /**
     * A validated run, ready to go on every rank: what its ranks share out, the input they
     * check together, and what each rank does with its part.
     */
    interface Job {
        /** What the ranks share out in blocks: grid rows or samples, and how many. */
        Decomposition decomposition();

        /**
         * Collective, once the ranks can talk and before the run directory exists: checks the
         * input the run reads in parts, each rank its own (diff2d: its rows of the checkpoint it
         * restarts from), so that no rank reads all of it.
         *
         * @throws halo.params.ParameterException on every rank alike, naming the input and what is wrong
         */
        default void checkInput(Communicator communicator) {
        }

        /** This rank's part of the run; returns the summary's sections (meaningful on rank 0). */
        Map<String, Object> run(RunContext context);
    }

    String name();

    /** What the program computes, for --help: the equation, domain and boundary conditions. */
    String description();

    List<Parameter> parameters();

    /**
     * Reads and checks the parameters of a run on {@code ranks} ranks: all that depends only on
     * the arguments, the files they name and the rank count, so that a launcher can refuse a
     * run before it starts any rank ({@link Preflight}), and a rank before MPI.Init.
     *
     * @throws halo.params.ParameterException naming the option and what it accepts
     */
    Plan plan(ParameterSource source, int ranks);

    /** A run whose parameters are checked; what is left to check depends on the JVM its ranks run in. */
    interface Plan {
        /**
         * Checks what the run asks of {@code jvm} (heap, CPUs) and returns the job.
         *
         * @throws halo.params.ParameterException for an option this JVM cannot honour
         * @throws halo.params.ResourceLimitException for a run too large for the JVM's heap
         */
        Job prepare(RankJvm jvm);
    }

    /**
     * Starts, in the background, what makes a run's first steps fast: called as a rank starts,
     * before MPI.Init, with parameters not yet checked (a bad one: nothing to start, the run
     * reports it).
     */
    default void startWarmUp(ParameterSource source) {
    }
}
