namespace MLExtensions.Samples.DataGenerator.Datasets;

/// <summary>
/// slot-filling.tsv — flight-booking requests with one tag per word: <c>B-</c>/<c>I-</c> tags (IOB2) for the slot
/// types <c>from_city</c>, <c>to_city</c>, <c>date</c>, <c>time</c> and <c>airline</c>, <c>O</c> for every other word.
/// Columns <c>Text</c> (space separated words) and <c>Tags</c> (space separated tags, one per word). Each row comes
/// from a template drawn uniformly from <see cref="Templates"/> and <see cref="FollowingWordTemplates"/>, its slots
/// filled from <see cref="SlotVocabulary"/>; sentences are unique.
/// </summary>
internal sealed class SlotFillingDataset : ITsvDataset
{
    public const int Seed = 1011;
    public const int Rows = 4000;

    /// <summary>
    /// Templates whose tags follow from each word and the words before it: a city's type from the preceding word
    /// (from, leaving, out of → from_city; to, arrive, in, for → to_city), a number's from the preceding on/at.
    /// </summary>
    public static readonly string[] Templates =
    [
        "book a flight from {from} to {to} on {date} at {time} with {airline}",
        "arrive {to} on {date}",
        "i want to fly from {from} to {to} on {date}",
        "show me flights to {to} from {from} on {date}",
        "is there a {airline} flight from {from} to {to} on {date}",
        "i need a ticket to {to} leaving {from} at {time}",
        "find me a flight to {to} on {date} in the {period}",
        "what flights leave {from} for {to} after {time}",
        "one way from {from} to {to} on {date} please",
        "i would like to book {airline} from {from} to {to}",
        "please find a flight from {from} arriving in {to} before {time} on {date}",
        "book me on {airline} to {to} on {date}",
        "cheapest flight from {from} to {to} {when}",
        "i have to be in {to} by {time} on {date}",
        "list {airline} flights from {from} on {date}",
        "we are flying out of {from} on {date} and arrive {to} at {time}",
        "get me to {to} from {from} {when} in the {period}",
        "can i fly with {airline} to {to} at {time}",
        "round trip from {from} to {to} leaving on {date} returning on {date}",
        "i want to go to {to} {when}",
        "do you have flights from {from} on {date} at {time}",
        "leaving {from} on {date} at {time} going to {to}",
    ];

    /// <summary>
    /// Templates in pairs whose members share every word before a slot, so the slot's first tag is decided only by a
    /// FOLLOWING word: a sentence-initial city followed by <c>to</c> (from_city) or <c>from</c> (to_city); a city
    /// after <c>show me the</c> followed by <c>departures</c> (from_city) or <c>arrivals</c> (to_city); a number 1–12
    /// after <c>departing</c> or <c>by</c> followed by a month (B-date) or by am/pm (B-time). A tagger that reads only
    /// the words so far can do no better than a coin toss on these slots.
    /// </summary>
    public static readonly string[] FollowingWordTemplates =
    [
        "{from} to {to} on {date}",
        "{to} from {from} on {date}",
        "show me the {from} departures on {date}",
        "show me the {to} arrivals on {date}",
        "book a flight from {from} to {to} departing {daydate}",
        "book a flight from {from} to {to} departing {hourtime}",
        "i must arrive in {to} by {daydate}",
        "i must arrive in {to} by {hourtime}",
    ];

    public string FileName => "slot-filling.tsv";

    public TsvTable Generate()
    {
        var random = new Random(Seed);
        string[] templates = [.. Templates, .. FollowingWordTemplates];
        var table = new TsvTable(["Text", "Tags"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (table.RowCount < Rows)
        {
            var (words, tags) = Expand(templates[random.Next(templates.Length)], random);
            string text = string.Join(' ', words);
            if (seen.Add(text))
                table.Add(text, string.Join(' ', tags));
        }
        return table;
    }

    /// <summary>The words of one sentence and their tags: B-type on a slot's first word, I-type on the rest.</summary>
    public static (List<string> Words, List<string> Tags) Expand(string template, Random random)
    {
        var words = new List<string>();
        var tags = new List<string>();
        var usedCities = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in template.Split(' '))
        {
            if (part.StartsWith('{'))
            {
                string slot = part[1..^1];
                string type = SlotVocabulary.TypeOf(slot);
                string[] filler = SlotVocabulary.Fill(slot, random, usedCities);
                for (int i = 0; i < filler.Length; i++)
                {
                    words.Add(filler[i]);
                    tags.Add((i == 0 ? "B-" : "I-") + type);
                }
            }
            else
            {
                words.Add(part);
                tags.Add("O");
            }
        }
        return (words, tags);
    }
}
