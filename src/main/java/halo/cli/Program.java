package halo.cli;

import java.util.List;
import java.util.Map;

import halo.params.ParameterSource;
import halo.run.RunContext;

/** One of Halo's programs as the command line sees it: its options, help, and how to start it. */
interface Program {

    /** A parameter option: {@code --name VALUE}, also a key of the conf file. */
    record Parameter(String name, String valueName, String description) {}

    /** A validated run, ready to go on every rank. */
    interface Job {
        Map<String, Object> run(RunContext context);
    }

    String name();

    /** What the program computes, for --help: the equation, domain and boundary conditions. */
    String description();

    List<Parameter> parameters();

    /**
     * Reads and checks the parameters for a run on {@code ranks} ranks.
     *
     * @throws halo.params.ParameterException naming the option and what it accepts
     */
    Job prepare(ParameterSource source, int ranks);
}
