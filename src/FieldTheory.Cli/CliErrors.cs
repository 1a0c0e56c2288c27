using FieldTheory.Compilation;
using Spectre.Console.Cli;

namespace FieldTheory.Cli;

/// <summary>A problem with what the user asked for: reported as one line on stderr, never as a stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);

internal static class CliErrors
{
    public const int UsageError = 2;
    public const int InputError = 1;

    /// <summary>Runs the application, turning expected failures into one clear stderr message and an exit code.</summary>
    public static int Run(Func<int> app)
    {
        try
        {
            return app();
        }
        catch (UserInputException e)
        {
            return Fail(e.Message, InputError);
        }
        catch (ModelCompilationException e)
        {
            return Fail(e.Message, InputError);
        }
        catch (FieldTheory.Experiments.ExperimentException e)
        {
            return Fail(e.Message, InputError);
        }
        catch (CommandAppException e)
        {
            // Spectre's parse errors: unknown command or option, missing argument.
            string first = e.Message.Split('\n', 2)[0].Trim();
            return Fail(first + " Run 'ftc --help' for usage.", UsageError);
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("ftc: " + message);
        return code;
    }
}
