using System.Collections;
using AliyunIot.Alink;

namespace AliyunIot.NFUnitTest
{
    /// <summary>Records the <see cref="RequestOutcome"/>s a <see cref="RequestCompletedHandler"/> receives.</summary>
    internal sealed class OutcomeRecorder
    {
        private readonly ArrayList _outcomes = new ArrayList();

        /// <summary>Outcomes so far.</summary>
        public int Count
        {
            get { return _outcomes.Count; }
        }

        /// <summary>The outcome at <paramref name="index"/>.</summary>
        public RequestOutcome Get(int index)
        {
            return (RequestOutcome)_outcomes[index];
        }

        /// <summary>The handler.</summary>
        public void Record(RequestOutcome outcome)
        {
            _outcomes.Add(outcome);
        }
    }
}
