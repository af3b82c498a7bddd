namespace MLExtensions.Samples.LongRangeAttention;

public class ModelOutput
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}
