using System.Globalization;

namespace FieldTheory.Cli;

/// <summary>Parses <c>--at</c> values: comma-separated finite numbers in invariant culture.</summary>
internal static class PointList
{
    public static IReadOnlyList<double> Parse(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var points = new List<double>();
        foreach (string item in text.Split(','))
        {
            string trimmed = item.Trim();
            if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new UserInputException(
                    $"--at: '{trimmed}' is not a finite number; expected comma-separated numbers such as --at=-1,0,0.5.");
            }

            points.Add(value);
        }

        return points;
    }
}
