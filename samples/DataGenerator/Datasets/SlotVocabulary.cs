using System.Globalization;

namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// The words that fill the slots of <see cref="SlotFillingDataset"/>'s templates, and the slot type each slot is tagged
/// with. Several words are ambiguous on their own: every city is a from-city in some sentences and a to-city in
/// others, <c>Singapore</c> and <c>Hong Kong</c> also begin airline names, <c>Air</c> begins one airline and ends
/// others, and the numbers 1–12 are date days (<c>9 November</c>, <c>November 9</c>) as well as hours (<c>9 am</c>).
/// </summary>
internal static class SlotVocabulary
{
    public static readonly string[] Cities =
    [
        "Paris", "Taipei", "Tokyo", "London", "Seoul", "Bangkok", "Sydney", "Amsterdam", "Frankfurt", "Dubai", "Rome",
        "Madrid", "Toronto", "Chicago", "Boston", "Osaka", "Kaohsiung", "Singapore", "Vienna", "Istanbul",
        "New York", "San Francisco", "Los Angeles", "Hong Kong", "Kuala Lumpur",
    ];

    public static readonly string[] Airlines =
    [
        "EVA Air", "China Airlines", "Singapore Airlines", "Hong Kong Airlines", "Air France", "Japan Airlines",
        "Turkish Airlines", "Korean Air", "Cathay Pacific", "Lufthansa", "Emirates", "Qantas", "KLM", "United",
        "Delta", "Starlux",
    ];

    public static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ];

    public static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static readonly string[] Periods = ["morning", "afternoon", "evening"];

    /// <summary>The slot type (the tag without its B-/I- prefix) of a template slot.</summary>
    public static string TypeOf(string slot) => slot switch
    {
        "from" => "from_city",
        "to" => "to_city",
        "date" or "when" or "daydate" => "date",
        "time" or "hourtime" or "period" => "time",
        "airline" => "airline",
        _ => throw new ArgumentException($"Unknown slot '{{{slot}}}'."),
    };

    /// <summary>
    /// Draws the words of one slot. <paramref name="usedCities"/> keeps the from- and to-city of a sentence apart.
    /// </summary>
    public static string[] Fill(string slot, Random random, HashSet<string> usedCities) => slot switch
    {
        "from" or "to" => City(random, usedCities).Split(' '),
        "airline" => Pick(random, Airlines).Split(' '),
        "date" => Date(random, relative: false),
        "when" => Date(random, relative: true),
        "daydate" => [Number(random, 1, 12), Pick(random, Months)],
        "time" => Time(random),
        "hourtime" => [Number(random, 1, 12), random.Next(2) == 0 ? "am" : "pm"],
        "period" => [Pick(random, Periods)],
        _ => throw new ArgumentException($"Unknown slot '{{{slot}}}'."),
    };

    private static string City(Random random, HashSet<string> usedCities)
    {
        string city;
        do
            city = Pick(random, Cities);
        while (!usedCities.Add(city));
        return city;
    }

    // Dates after "on" ({date}): "November 2nd", "November 2", "2 November", "2nd of November", "Friday". Dates that
    // stand alone ({when}) may also be "today", "tomorrow", "next Friday" or "this Friday". Days run from 1 to 28, so
    // every month has them.
    private static string[] Date(Random random, bool relative)
    {
        string month = Pick(random, Months);
        int day = random.Next(1, 29);
        string number = day.ToString(CultureInfo.InvariantCulture);
        return random.Next(relative ? 9 : 7) switch
        {
            0 or 1 => [month, Ordinal(day)],
            2 => [month, number],
            3 or 4 => [number, month],
            5 => [Ordinal(day), "of", month],
            6 => [Pick(random, Weekdays)],
            7 => [random.Next(2) == 0 ? "today" : "tomorrow"],
            _ => [random.Next(2) == 0 ? "next" : "this", Pick(random, Weekdays)],
        };
    }

    // Times: "9 am", "9 pm", "9:30 am", "21:30", "noon", "midnight".
    private static string[] Time(Random random)
    {
        string hour = Number(random, 1, 12);
        string minutes = (15 * random.Next(4)).ToString("00", CultureInfo.InvariantCulture);
        string half = random.Next(2) == 0 ? "am" : "pm";
        return random.Next(8) switch
        {
            0 or 1 or 2 => [hour, half],
            3 or 4 => [hour + ":" + minutes, half],
            5 or 6 => [random.Next(0, 24).ToString("00", CultureInfo.InvariantCulture) + ":" + minutes],
            _ => [random.Next(2) == 0 ? "noon" : "midnight"],
        };
    }

    private static string Number(Random random, int min, int max) =>
        random.Next(min, max + 1).ToString(CultureInfo.InvariantCulture);

    private static string Ordinal(int day)
    {
        string suffix = (day % 100) is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return day.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
