package dev.parley.dialog;

/**
 * Something an LLM brain may call (function calling): the skills offered as tools, so "set a timer" works with an
 * LLM too. Arguments and results are JSON text, as the model sends and reads them.
 */
public interface Tool {

    /** The function's name: letters, digits, '_' and '-', at most 64 characters. */
    String name();

    /** What it does, for the model to decide when to call it. */
    String description();

    /** The parameters as a JSON Schema object, as JSON text ({@code {"type":"object","properties":{…}}}). */
    String parametersSchema();

    /**
     * Runs the tool. Returns what the model should read back (JSON or plain text). Bad arguments are not an
     * exception: the result says what was wrong, so the model can try again or tell the user.
     */
    String call(String argumentsJson);
}
