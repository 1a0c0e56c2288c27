using FieldTheory.Compilation;
using Spectre.Console.Cli;

namespace FieldTheory.Cli;

/// <summary>A problem with what the user asked for: reported as one line on stderr, never as a stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);

internal static class CliErrors
{
    public const int UsageError = 2;
    public const int InputError = 1;
    public const int InternalError = 70;

    /// <summary>
    /// Runs the application, turning failures into one clear stderr message and an exit code. With
    /// <paramref name="verbose"/> (<c>--verbose</c> or FTC_VERBOSE=1) unexpected failures also print their stack trace.
    /// </summary>
    public static int Run(Func<int> app, bool verbose)
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input: still one line, with the detail behind --verbose.
            if (verbose)
            {
                Console.Error.WriteLine(e);
            }

            return Fail($"internal error ({e.GetType().Name}: {e.Message}). Rerun with --verbose for details and please report it.", InternalError);
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("ftc: " + message);
        return code;
    }
}
