import { hasCardCodeField } from '../support/card-fields';

describe('hasCardCodeField', () => {
  it.each(['{"cvv":"123"}', '{"cardCvc": "1"}', 'name=x&cvv=123', '{ csc: 1 }', "{'cvv':1}", '{"card_cvv2":"1"}', '{"securityCode":"1"}', 'cvc=1'])('finds a card code field in %s', (text) => {
    expect(hasCardCodeField(text)).toBe(true);
  });

  it.each(['{"linkToken":"aBcVcXyZ"}', 'pay_01M87PCVCX', '{"tinyCode":"xCVVq"}', '{"secretHash":"q9Xk2CvcPz1w="}', '{"hash":"CvcQ9x="}', 'signature: v1,aCsC9w=='])('ignores the letters inside a value: %s', (text) => {
    expect(hasCardCodeField(text)).toBe(false);
  });
});
