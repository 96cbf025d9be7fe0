import { AutoModelForCausalLM, AutoTokenizer, env, LogitsProcessorList } from '@huggingface/transformers';
import { createSampler } from 'logit-sampler';
import { samplerProcessor } from 'logit-sampler/transformers';

env.allowRemoteModels = false;
env.localModelPath = 'examples/'; // the folder that holds tiny-model/
const tokenizer = await AutoTokenizer.from_pretrained('tiny-model');
const model = await AutoModelForCausalLM.from_pretrained('tiny-model', { dtype: 'fp32' });

const sampler = await createSampler({ seed: 42 });
const logits_processor = new LogitsProcessorList();
logits_processor.push(samplerProcessor(sampler, { temperature: 0.8, topP: 0.9 }));

// do_sample: false — transformers.js's greedy step takes the one token the processor left.
const inputs = tokenizer('A temperatura ');
const output = await model.generate({ ...inputs, max_new_tokens: 80, do_sample: false, logits_processor });
console.log(tokenizer.decode(output[0]));
